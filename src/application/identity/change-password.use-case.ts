import type { Session } from "../../domain/session/session";
import { SessionPolicy } from "../../domain/session/session-policy";
import { Unauthenticated, type AccountLocked, type InvalidCredentials, type RateLimited, type WeakPassword } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import { Email } from "../../domain/identity/email";
import { Password, type CommonPasswords } from "../../domain/identity/password";
import type { User } from "../../domain/identity/user";
import type { AuthSettings } from "../shared/auth-settings";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { Clock } from "../shared/ports/clock.port";
import type { PasswordHasher } from "../shared/ports/password-hasher.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { SessionTokens } from "../shared/ports/session-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { IdentityStores } from "./identity-stores";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { Reauthentication } from "../shared/services/reauthentication";
import { SessionIssuer } from "../shared/services/session-issuer";

export interface ChangePasswordInput {
  readonly userId: string;
  /** The session of the request; it is replaced by a new one. */
  readonly sessionId: string;
  readonly currentPassword: string;
  readonly newPassword: string;
  readonly context: RequestContext;
}

export interface ChangePasswordOutput {
  readonly user: User;
  readonly session: Session;
  /** The new session cookie value. */
  readonly token: string;
}

export type ChangePasswordError = Unauthenticated | InvalidCredentials | RateLimited | AccountLocked | WeakPassword;

/**
 * Changes the password of a signed-in user who proves they know the current one. Every other
 * session ends; this device continues on a new session id (re-authentication never keeps an id),
 * outstanding reset links die, and the owner is told by e-mail.
 */
export class ChangePassword {
  private readonly reauthentication: Reauthentication;
  private readonly issuer: SessionIssuer;
  private readonly policy: SessionPolicy;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: IdentityStores,
    private readonly uow: UnitOfWork<IdentityStores>,
    private readonly hasher: PasswordHasher,
    sessionTokens: SessionTokens,
    randomTokens: RandomTokens,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    private readonly commonPasswords: CommonPasswords,
    private readonly settings: AuthSettings,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.reauthentication = new Reauthentication(hasher, rateLimits, settings, metrics);
    this.policy = new SessionPolicy(settings.session);
    this.issuer = new SessionIssuer(sessionTokens, randomTokens, this.policy);
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: ChangePasswordInput): Promise<Result<ChangePasswordOutput, ChangePasswordError>> {
    const now = this.clock.now();
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    const session = await this.stores.sessions.findById(input.sessionId);
    if (!session || session.userId !== user.id || !session.isActive(now, this.policy)) return fail(new Unauthenticated());

    const proven = await this.reauthentication.verify(user, input.currentPassword, input.context, now);
    if (!proven.ok) {
      await this.events.record(this.stores.events, "sign-in.failed", user.id, input.context, { reason: "reauthentication" });
      return proven;
    }
    const password = Password.create(input.newPassword, this.settings.password, this.commonPasswords, Email.restore(user.email));
    if (!password.ok) return password;
    const passwordHash = await this.hasher.hash(password.value);

    const replacement = await this.uow.run(async (stores) => {
      user.changePassword(passwordHash, now);
      await stores.users.save(user);
      const next = await this.issuer.open(stores.sessions, user.id, input.context, now);
      const revoked = await stores.sessions.revokeAllForUser(user.id, now, next.id);
      // A device signed in with the old password must sign in again, like every other session.
      await stores.deviceTokens.revokeAllForUser(user.id, now);
      await stores.tokens.invalidateAllForUser(user.id, "reset-password", now);
      await stores.outbox.enqueue({ to: user.email, template: "password-changed", params: {} });
      await this.events.record(stores.events, "password.changed", user.id, input.context, { sessionsRevoked: String(revoked) });
      return next;
    });
    const token = await this.issuer.tokenFor(replacement, now);
    return ok({ user, session: replacement, token });
  }
}
