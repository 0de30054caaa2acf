import { AccountLocked, RateLimited } from "../../domain/shared/domain-error";
import { addSeconds } from "../../domain/session/session-policy";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { RateLimitSettings } from "../auth-settings";
import type { RateLimitStore } from "../ports/rate-limit-store.port";
import { rateLimitKeys, RateLimiter, secondsUntil } from "./rate-limiter";

/**
 * Brute-force protection for anything that checks a password (sign-in, and re-authentication for a
 * password change or deletion): attempts per client IP, and consecutive failures per account keyed
 * by canonical e-mail whether or not the account exists, so throttling reveals nothing either.
 * The check comes before the password is verified: a right guess during a wait is still refused.
 */
export class SignInThrottle {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly store: RateLimitStore,
    private readonly settings: RateLimitSettings,
  ) {
    this.limiter = new RateLimiter(store, settings);
  }

  /** Counts the attempt against the IP and refuses it while the account has to wait or is locked. */
  async check(canonicalEmail: string, ip: string | null, now: Date): Promise<Result<void, RateLimited | AccountLocked>> {
    if (!this.settings.enabled) return ok();
    const perIp = await this.limiter.consume(ip === null ? null : rateLimitKeys.signInIp(ip), this.settings.signInPerIp, now);
    if (!perIp.ok) return perIp;
    const failures = await this.store.peek(rateLimitKeys.signInAccount(canonicalEmail), now);
    if (!failures) return ok();
    const policy = this.settings.signInFailuresPerAccount;
    if (failures.count >= policy.lockAfter) return fail(new AccountLocked(secondsUntil(failures.resetAt, now)));
    const delay = this.delayAfter(failures.count);
    const allowedAt = addSeconds(failures.lastAt, delay);
    if (delay > 0 && now < allowedAt) return fail(new RateLimited(secondsUntil(allowedAt, now)));
    return ok();
  }

  /** The wait imposed after `failures` consecutive failures: none for the free ones, then doubling. */
  delayAfter(failures: number): number {
    const policy = this.settings.signInFailuresPerAccount;
    const extra = failures - policy.freeFailures;
    if (extra <= 0) return 0;
    return Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** (extra - 1));
  }

  async recordFailure(canonicalEmail: string, now: Date): Promise<void> {
    if (!this.settings.enabled) return;
    await this.store.hit(rateLimitKeys.signInAccount(canonicalEmail), this.settings.signInFailuresPerAccount.windowSeconds, now);
  }

  /** After a success or a password reset the account starts with a clean slate. */
  async clear(canonicalEmail: string): Promise<void> {
    await this.store.reset(rateLimitKeys.signInAccount(canonicalEmail));
  }
}
