import { InvalidToken, type WeakPassword } from "../../domain/shared/domain-error";
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
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { IdentityStores } from "./identity-stores";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { SignInThrottle } from "../shared/services/sign-in-throttle";

export interface ResetPasswordInput {
  /** The secret from the e-mailed link. */
  readonly token: string;
  readonly password: string;
  readonly context?: RequestContext;
}

export interface ResetPasswordOutput {
  readonly user: User;
}

/**
 * Sets a new password from a reset link. Whoever held the old password is shut out: every session
 * ends, every other reset link dies, and the owner is told by e-mail. The sign-in failure count is
 * cleared, which is how a locked account opens again.
 */
export class ResetPassword {
  private readonly throttle: SignInThrottle;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: IdentityStores,
    private readonly uow: UnitOfWork<IdentityStores>,
    private readonly hasher: PasswordHasher,
    private readonly randomTokens: RandomTokens,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    private readonly commonPasswords: CommonPasswords,
    private readonly settings: AuthSettings,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.throttle = new SignInThrottle(rateLimits, settings.rateLimits, metrics);
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: ResetPasswordInput): Promise<Result<ResetPasswordOutput, InvalidToken | WeakPassword>> {
    if (typeof input.token !== "string" || input.token.length === 0) return fail(new InvalidToken());
    const now = this.clock.now();
    const hash = this.randomTokens.hash(input.token);
    const token = await this.stores.tokens.findByHash(hash);
    if (!token || !token.isUsable("reset-password", hash, now)) return fail(new InvalidToken());
    const user = await this.stores.users.findById(token.userId);
    if (!user || user.email !== token.email) return fail(new InvalidToken());

    // The policy is checked before the token is spent, so the user can retry with the same link.
    const password = Password.create(input.password, this.settings.password, this.commonPasswords, Email.restore(user.email));
    if (!password.ok) return password;
    const passwordHash = await this.hasher.hash(password.value);

    const reset = await this.uow.run(async (stores) => {
      if (!(await stores.tokens.consume(token.id, now))) return fail(new InvalidToken());
      user.changePassword(passwordHash, now);
      await stores.users.save(user);
      const revoked = await stores.sessions.revokeAllForUser(user.id, now);
      await stores.deviceTokens.revokeAllForUser(user.id, now);
      await stores.tokens.invalidateAllForUser(user.id, "reset-password", now);
      await stores.outbox.enqueue({ to: user.email, template: "password-changed", params: {} });
      await this.events.record(stores.events, "password.reset", user.id, input.context, { sessionsRevoked: String(revoked) });
      return ok({ user });
    });
    if (reset.ok) await this.throttle.clear(user.email);
    return reset;
  }
}
