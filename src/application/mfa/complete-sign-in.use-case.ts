import type { User } from "../../domain/identity/user";
import { InvalidSecondFactorCode, SecondFactorChallengeInvalid } from "../../domain/mfa/mfa-errors";
import type { Session } from "../../domain/session/session";
import { SessionPolicy } from "../../domain/session/session-policy";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { Clock } from "../shared/ports/clock.port";
import type { PasswordHasher } from "../shared/ports/password-hasher.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { SecondFactorCodes } from "../shared/ports/second-factor.port";
import type { SessionTokens } from "../shared/ports/session-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { SecondFactorCheck, type SecondFactorError, type SecondFactorProof } from "../shared/services/second-factor-check";
import { SessionIssuer } from "../shared/services/session-issuer";
import type { MfaStores } from "./mfa-stores";

export type CompleteSignInInput = {
  /** The challenge secret from the cookie the password step set. */
  readonly challenge: string | null | undefined;
  readonly context: RequestContext;
  /** The session cookie the client already holds, if any: it is ended, never adopted. */
  readonly currentToken?: string | null;
} & SecondFactorProof;

export interface CompleteSignInOutput {
  readonly user: User;
  readonly session: Session;
  readonly token: string;
}

export type CompleteSignInError = SecondFactorChallengeInvalid | SecondFactorError;

/**
 * The second step of a sign-in: the challenge of the password step plus a TOTP or recovery code opens
 * the session (a new id). The challenge is spent with the code in one unit of work: a wrong code leaves
 * it for another try (the throttle counts the tries), a right one ends it, and neither it nor the code
 * opens anything a second time.
 */
export class CompleteSignIn {
  private readonly check: SecondFactorCheck;
  private readonly issuer: SessionIssuer;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: MfaStores,
    private readonly uow: UnitOfWork<MfaStores>,
    hasher: PasswordHasher,
    sessionTokens: SessionTokens,
    private readonly randomTokens: RandomTokens,
    codes: SecondFactorCodes,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    settings: AuthSettings,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.check = new SecondFactorCheck(codes, hasher, rateLimits, settings, metrics);
    this.issuer = new SessionIssuer(sessionTokens, randomTokens, new SessionPolicy(settings.session));
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: CompleteSignInInput): Promise<Result<CompleteSignInOutput, CompleteSignInError>> {
    if (typeof input.challenge !== "string" || input.challenge.length === 0 || input.challenge.length > 256) {
      return fail(new SecondFactorChallengeInvalid());
    }
    const now = this.clock.now();
    const hash = this.randomTokens.hash(input.challenge);
    const challenge = await this.stores.signInChallenges.findByHash(hash);
    if (!challenge || !challenge.isUsable("sign-in-challenge", hash, now)) return fail(new SecondFactorChallengeInvalid());
    const user = await this.stores.users.findById(challenge.userId);
    // Bound to the account as it was at the password step: a changed address ends the attempt.
    if (!user || user.email !== challenge.email) return fail(new SecondFactorChallengeInvalid());

    const matched = await this.check.match(this.stores, user.id, input, input.context, now);
    if (!matched.ok) {
      if (matched.error.code === "INVALID_MFA_CODE") await this.events.record(this.stores.events, "sign-in.mfa-failed", user.id, input.context);
      // Turned off since the password step: the challenge no longer leads anywhere.
      return matched.error.code === "MFA_NOT_ENABLED" ? fail(new SecondFactorChallengeInvalid()) : matched;
    }
    const method = matched.value.method;
    const opened = await this.uow.run(async (stores) => {
      if (!(await stores.signInChallenges.consume(challenge.id, now))) return fail(new SecondFactorChallengeInvalid());
      if (!(await this.check.spend(stores, matched.value, now))) return fail(new InvalidSecondFactorCode(method === "totp" ? "code" : "recoveryCode"));
      await this.issuer.endPresented(stores.sessions, input.currentToken, now);
      const session = await this.issuer.open(stores.sessions, user.id, input.context, now, ["password", method]);
      await this.events.record(stores.events, "sign-in.succeeded", user.id, input.context, { method });
      return ok(session);
    });
    if (!opened.ok) {
      if (opened.error.code === "INVALID_MFA_CODE") await this.check.recordFailure(user.id, now);
      return opened;
    }
    return ok({ user, session: opened.value, token: await this.issuer.tokenFor(opened.value, now) });
  }
}
