import type { User } from "../../domain/identity/user";
import type { AuthMethod, Session } from "../../domain/session/session";
import { SessionPolicy } from "../../domain/session/session-policy";
import { Unauthenticated, type AccountLocked, type InvalidCredentials, type RateLimited } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { Clock } from "../shared/ports/clock.port";
import type { PasswordHasher } from "../shared/ports/password-hasher.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { SessionTokens } from "../shared/ports/session-tokens.port";
import type { SharedStores, UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { Reauthentication } from "../shared/services/reauthentication";
import { SecondFactorCheck, type MatchedProof, type SecondFactorError } from "../shared/services/second-factor-check";
import type { SecondFactorCodes } from "../shared/ports/second-factor.port";
import { InvalidSecondFactorCode, SecondFactorCodeRequired } from "../../domain/mfa/mfa-errors";
import { SessionIssuer } from "../shared/services/session-issuer";

export interface ReauthenticateInput {
  readonly userId: string;
  /** The session in force: it is ended and its successor is the fresh one. */
  readonly sessionId: string;
  readonly password: string;
  /** With a second factor on: a code from the app, or a recovery code. */
  readonly code?: string;
  readonly recoveryCode?: string;
  readonly context?: RequestContext;
}

export type ReauthenticateError = Unauthenticated | InvalidCredentials | RateLimited | AccountLocked | SecondFactorCodeRequired | SecondFactorError;

export interface ReauthenticateOutput {
  readonly user: User;
  readonly session: Session;
  /** The cookie token naming the successor. */
  readonly token: string;
}

/**
 * Step-up: the signed-in user proves who they are again, and the session moves to a new id that is
 * fresh for `FRESH_AUTH_MAX_AGE`. The old id ends at once (no rotation grace): whoever held it without
 * the password gains nothing from the step-up. Failures count into the sign-in throttle.
 */
export class Reauthenticate {
  private readonly reauthentication: Reauthentication;
  private readonly issuer: SessionIssuer;
  private readonly events: AuthEvents;
  private readonly secondFactor: SecondFactorCheck;

  constructor(
    private readonly stores: SharedStores,
    private readonly uow: UnitOfWork<SharedStores>,
    hasher: PasswordHasher,
    sessionTokens: SessionTokens,
    private readonly randomTokens: RandomTokens,
    codes: SecondFactorCodes,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    settings: AuthSettings,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.reauthentication = new Reauthentication(hasher, rateLimits, settings, metrics);
    this.issuer = new SessionIssuer(sessionTokens, randomTokens, new SessionPolicy(settings.session));
    this.events = new AuthEvents(randomTokens, clock);
    this.secondFactor = new SecondFactorCheck(codes, hasher, rateLimits, settings, metrics);
  }

  async execute(
    input: ReauthenticateInput,
  ): Promise<Result<ReauthenticateOutput, ReauthenticateError>> {
    const [user, session] = await Promise.all([
      this.stores.users.findById(input.userId),
      this.stores.sessions.findById(input.sessionId),
    ]);
    if (!user || !session || session.userId !== user.id) return fail(new Unauthenticated());
    const now = this.clock.now();
    const proven = await this.reauthentication.verify(user, input.password, input.context, now);
    if (!proven.ok) {
      await this.events.record(this.stores.events, "sign-in.failed", user.id, input.context, { reason: "reauthentication" });
      return proven;
    }
    // With a second factor on, the password alone is not enough: the same single-use code rule as sign-in.
    const factor = await this.secondFactorOf(user.id, input, now);
    if (!factor.ok) return factor;
    const matched = factor.value;
    const methods: AuthMethod[] = matched ? ["password", matched.method] : ["password"];
    const successor = session.reauthenticate(this.randomTokens.newId(), now, methods);
    // A failed Result rolls the unit of work back: a spent code with no successor is taken back too.
    const moved = await this.uow.run(async (stores) => {
      if (matched && !(await this.secondFactor.spend(stores, matched, now))) return fail("replayed" as const);
      if (!(await stores.sessions.rotate(session, successor))) return fail("raced" as const);
      await stores.sessions.revoke(session.id, now);
      await this.events.record(stores.events, "session.reauthenticated", user.id, input.context, { methods: methods.join(",") });
      return ok();
    });
    if (!moved.ok && moved.error === "replayed") {
      await this.secondFactor.recordFailure(user.id, now);
      return fail(new InvalidSecondFactorCode(matched?.method === "recovery-code" ? "recoveryCode" : "code"));
    }
    // Another request rotated or ended this session meanwhile: the client holds no session to step up.
    if (!moved.ok) return fail(new Unauthenticated());
    return ok({ user, session: successor, token: await this.issuer.tokenFor(successor, now) });
  }

  /** Null when no second factor is on; the matched (not yet spent) proof when one is. */
  private async secondFactorOf(
    userId: string,
    input: ReauthenticateInput,
    now: Date,
  ): Promise<Result<MatchedProof | null, SecondFactorCodeRequired | SecondFactorError>> {
    const totp = await this.stores.secondFactors.findTotp(userId);
    if (!totp?.isEnabled) return ok(null);
    const proof = typeof input.recoveryCode === "string" && input.recoveryCode !== "" ? { recoveryCode: input.recoveryCode } : typeof input.code === "string" && input.code !== "" ? { code: input.code } : null;
    if (!proof) return fail(new SecondFactorCodeRequired());
    return this.secondFactor.match(this.stores, userId, proof, input.context, now);
  }
}
