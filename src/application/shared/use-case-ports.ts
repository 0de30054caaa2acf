import type { CommonPasswords } from "../../domain/identity/password";
import type { AuthSettings } from "./auth-settings";
import type { Clock } from "./ports/clock.port";
import type { AuthMetrics } from "./ports/metrics.port";
import type { PasswordHasher } from "./ports/password-hasher.port";
import type { RandomTokens } from "./ports/random-tokens.port";
import type { RateLimitStore } from "./ports/rate-limit-store.port";
import type { SecondFactorCodes } from "./ports/second-factor.port";
import type { SessionTokens } from "./ports/session-tokens.port";
import type { SharedStores, UnitOfWork } from "./ports/unit-of-work.port";

/**
 * Everything a use case may be built from. Constructors take the ones they need explicitly, always in
 * this relative order:
 *
 *   stores, uow, hasher, sessionTokens, randomTokens, secondFactorCodes, rateLimits, clock, commonPasswords, settings, metrics
 *
 * `S` is the set of stores of the capability; the composition root hands every capability the full set.
 */
export interface UseCasePorts<S extends SharedStores = SharedStores> {
  readonly stores: S;
  readonly uow: UnitOfWork<S>;
  readonly hasher: PasswordHasher;
  readonly sessionTokens: SessionTokens;
  readonly randomTokens: RandomTokens;
  /** TOTP, recovery codes and QR codes. */
  readonly secondFactorCodes: SecondFactorCodes;
  readonly rateLimits: RateLimitStore;
  readonly clock: Clock;
  readonly commonPasswords: CommonPasswords;
  readonly settings: AuthSettings;
  /** Counts for the operator; optional in constructors (NO_METRICS), so only the use cases that count take it. */
  readonly metrics: AuthMetrics;
}

/**
 * A capability's use cases by name, each with how it is built from the ports: the one place a use case
 * is registered. The container's tokens and bindings, the in-memory test kit and the web accessors are
 * all derived from these registries (see src/infrastructure/di/use-case-registry.ts).
 */
export type UseCaseRegistry<P> = { readonly [name: string]: (ports: P) => object };
