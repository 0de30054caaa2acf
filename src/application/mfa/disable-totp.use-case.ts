import { InvalidSecondFactorCode } from "../../domain/mfa/mfa-errors";
import { Unauthenticated, type ReauthenticationRequired } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { Clock } from "../shared/ports/clock.port";
import type { PasswordHasher } from "../shared/ports/password-hasher.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { SecondFactorCodes } from "../shared/ports/second-factor.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { SecondFactorCheck, type SecondFactorError, type SecondFactorProof } from "../shared/services/second-factor-check";
import { FreshAuthentication } from "../shared/services/fresh-authentication";
import type { MfaStores } from "./mfa-stores";

export type DisableTotpInput = {
  readonly userId: string;
  /** The session asking: turning the factor off needs fresh authentication. */
  readonly sessionId: string;
  readonly context?: RequestContext;
} & SecondFactorProof;

/**
 * Turns the second factor off, with its recovery codes. Needs a current code (or a recovery code, for
 * a lost phone) besides fresh authentication, and the owner is told by e-mail.
 */
export class DisableTotp {
  private readonly check: SecondFactorCheck;
  private readonly events: AuthEvents;
  private readonly fresh: FreshAuthentication;

  constructor(
    private readonly stores: MfaStores,
    private readonly uow: UnitOfWork<MfaStores>,
    hasher: PasswordHasher,
    randomTokens: RandomTokens,
    codes: SecondFactorCodes,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    settings: AuthSettings,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.check = new SecondFactorCheck(codes, hasher, rateLimits, settings, metrics);
    this.events = new AuthEvents(randomTokens, clock);
    this.fresh = new FreshAuthentication(settings.freshAuthMaxAgeSeconds);
  }

  async execute(input: DisableTotpInput): Promise<Result<void, Unauthenticated | ReauthenticationRequired | SecondFactorError>> {
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    const now = this.clock.now();
    const fresh = await this.fresh.require(this.stores.sessions, input.sessionId, now);
    if (!fresh.ok) return fresh;
    const matched = await this.check.match(this.stores, user.id, input, input.context, now);
    if (!matched.ok) return matched;
    const done = await this.uow.run(async (stores) => {
      if (!(await this.check.spend(stores, matched.value, now))) return fail(new InvalidSecondFactorCode("recoveryCode" in input ? "recoveryCode" : "code"));
      await stores.secondFactors.remove(user.id);
      await stores.outbox.enqueue({ to: user.email, template: "mfa-disabled", params: {} });
      await this.events.record(stores.events, "mfa.disabled", user.id, input.context);
      return ok();
    });
    if (!done.ok) await this.check.recordFailure(user.id, now);
    return done;
  }
}
