import type { User } from "../../domain/identity/user";
import type { PasskeyRefused } from "../../domain/passkey/passkey-errors";
import type { Session } from "../../domain/session/session";
import { SessionPolicy } from "../../domain/session/session-policy";
import type { RateLimited } from "../../domain/shared/domain-error";
import { ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { SessionTokens } from "../shared/ports/session-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { RateLimiter, rateLimitKeys } from "../shared/services/rate-limiter";
import { SessionIssuer } from "../shared/services/session-issuer";
import { PasskeyAssertion } from "./passkey-assertion";
import type { PasskeyStores } from "./passkey-stores";
import type { WebAuthnCeremonies } from "./webauthn.port";

export interface SignInWithPasskeyInput {
  /** The browser's `AuthenticationResponseJSON`, unverified. */
  readonly response: unknown;
  readonly context: RequestContext;
  /** The session cookie the client already holds, if any: it is ended, never adopted. */
  readonly currentToken?: string | null;
}

export interface SignInWithPasskeyOutput {
  readonly user: User;
  readonly session: Session;
  readonly token: string;
}

/**
 * Signs in with a passkey alone. A verified assertion with user verification is something the user has
 * and something they are or know (NIST SP 800-63B-4 App. B), so it counts as both factors: the session
 * opens with `authMethods: ["passkey"]`, on a new id.
 */
export class SignInWithPasskey {
  private readonly assertion: PasskeyAssertion;
  private readonly issuer: SessionIssuer;
  private readonly events: AuthEvents;
  private readonly limiter: RateLimiter;

  constructor(
    private readonly stores: PasskeyStores,
    private readonly uow: UnitOfWork<PasskeyStores>,
    sessionTokens: SessionTokens,
    randomTokens: RandomTokens,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
    webAuthn: WebAuthnCeremonies,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.limiter = new RateLimiter(rateLimits, settings.rateLimits, metrics);
    this.assertion = new PasskeyAssertion(webAuthn);
    this.issuer = new SessionIssuer(sessionTokens, randomTokens, new SessionPolicy(settings.session));
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: SignInWithPasskeyInput): Promise<Result<SignInWithPasskeyOutput, PasskeyRefused | RateLimited>> {
    const now = this.clock.now();
    // A passkey sign-in counts into the same per-IP bucket as a password sign-in.
    const ip = input.context?.ip ?? null;
    const allowed = await this.limiter.consume(ip === null ? null : rateLimitKeys.signInIp(ip), this.settings.rateLimits.signInPerIp, now);
    if (!allowed.ok) return allowed;
    const proven = await this.assertion.verify(this.stores, input.response, now);
    if (!proven.ok) {
      await this.events.record(this.stores.events, "sign-in.failed", null, input.context, { method: "passkey", reason: proven.error.reason });
      return proven;
    }
    const { user, passkey } = proven.value;
    const session = await this.uow.run(async (stores) => {
      await this.issuer.endPresented(stores.sessions, input.currentToken, now);
      const opened = await this.issuer.open(stores.sessions, user.id, input.context, now, ["passkey"]);
      await this.events.record(stores.events, "sign-in.succeeded", user.id, input.context, { method: "passkey", passkeyId: passkey.id });
      return opened;
    });
    return ok({ user, session, token: await this.issuer.tokenFor(session, now) });
  }
}
