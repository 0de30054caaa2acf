import { InvalidCredentials, type AccountLocked, type RateLimited } from "../../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../../domain/shared/result";
import { Password } from "../../../domain/identity/password";
import type { User } from "../../../domain/identity/user";
import type { AuthSettings } from "../auth-settings";
import type { AuthMetrics } from "../ports/metrics.port";
import type { PasswordHasher } from "../ports/password-hasher.port";
import type { RateLimitStore } from "../ports/rate-limit-store.port";
import type { RequestContext } from "../request-context";
import { SignInThrottle } from "./sign-in-throttle";

/**
 * A signed-in user proving their password again before a sensitive action. It counts into the same
 * throttle as sign-in: a stolen session must not become a way to guess the password at full speed.
 */
export class Reauthentication {
  private readonly throttle: SignInThrottle;

  constructor(
    private readonly hasher: PasswordHasher,
    rateLimits: RateLimitStore,
    private readonly settings: AuthSettings,
    metrics: AuthMetrics,
  ) {
    this.throttle = new SignInThrottle(rateLimits, settings.rateLimits, metrics);
  }

  async verify(
    user: User,
    raw: string,
    context: RequestContext | undefined,
    now: Date,
  ): Promise<Result<void, InvalidCredentials | RateLimited | AccountLocked>> {
    const password = typeof raw === "string" ? raw : "";
    // Too long to be the password: refused without hashing it.
    if (password.length === 0 || !Password.isWithinMaximum(password, this.settings.password) || !Password.isWellFormed(password)) {
      return fail(new InvalidCredentials());
    }
    const allowed = await this.throttle.check(user.email, context?.ip ?? null, now);
    if (!allowed.ok) return allowed;
    if (!(await this.hasher.verify(user.passwordHash, Password.normalise(password)))) {
      await this.throttle.recordFailure(user.email, now);
      return fail(new InvalidCredentials());
    }
    await this.throttle.clearAfterSuccess(user.email, allowed.value);
    return ok();
  }
}
