import { ContainerModule, type ResolutionContext } from "inversify";
import { TOKENS as T, useCaseToken, type Token } from "../tokens";
import { USE_CASES, type Ports, type UseCaseName } from "../use-case-registry";

/**
 * Every use case of every capability's registry, bound once (singleton) to its token. The ports are
 * read lazily while a use case is built, so a use case resolves only the ports its factory touches
 * (the session check never loads the password hasher).
 */
export function useCasesModule(): ContainerModule {
  return new ContainerModule((o) => {
    for (const name of Object.keys(USE_CASES) as UseCaseName[]) {
      const make = USE_CASES[name] as (ports: Ports) => object;
      o.bind<object>(useCaseToken(name) as Token<object>)
        .toDynamicValue((context) => make(portsFrom(context)))
        .inSingletonScope();
    }
  });
}

function portsFrom(context: ResolutionContext): Ports {
  const get = <V>(token: Token<V>): V => context.get<V>(token);
  return {
    get stores() {
      return get(T.Stores);
    },
    get uow() {
      return get(T.UnitOfWork);
    },
    get hasher() {
      return get(T.PasswordHasher);
    },
    get sessionTokens() {
      return get(T.SessionTokens);
    },
    get randomTokens() {
      return get(T.RandomTokens);
    },
    get secondFactorCodes() {
      return get(T.SecondFactorCodes);
    },
    get rateLimits() {
      return get(T.RateLimitStore);
    },
    get clock() {
      return get(T.Clock);
    },
    get commonPasswords() {
      return get(T.CommonPasswords);
    },
    get settings() {
      return get(T.AuthSettings);
    },
    get webAuthn() {
      return get(T.WebAuthn);
    },
    get metrics() {
      return get(T.AuthMetrics);
    },
    get billing() {
      return get(T.BillingProvider);
    },
    get billingSettings() {
      return get(T.BillingSettings);
    },
  };
}
