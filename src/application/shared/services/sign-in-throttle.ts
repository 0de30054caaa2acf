import { AccountLocked, RateLimited } from "../../../domain/shared/domain-error";
import { addSeconds } from "../../../domain/session/session-policy";
import { fail, ok, type Result } from "../../../domain/shared/result";
import type { RateLimitSettings } from "../auth-settings";
import type { AuthMetrics } from "../ports/metrics.port";
import type { RateLimitStore } from "../ports/rate-limit-store.port";
import { limitNameOf, rateLimitKeys, RateLimiter, secondsUntil } from "./rate-limiter";

/** What `check` saw when it let an attempt through. */
export interface ThrottlePass {
  /** Whether the account had failures counted in the current window. */
  readonly failuresOnRecord: boolean;
}

const NO_FAILURES: ThrottlePass = { failuresOnRecord: false };
const FAILURES_ON_RECORD: ThrottlePass = { failuresOnRecord: true };

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
    private readonly metrics: AuthMetrics,
  ) {
    this.limiter = new RateLimiter(store, settings, metrics);
  }

  /** Counts the attempt against the IP and refuses it while the account has to wait or is locked. */
  async check(canonicalEmail: string, ip: string | null, now: Date): Promise<Result<ThrottlePass, RateLimited | AccountLocked>> {
    if (!this.settings.enabled) return ok(NO_FAILURES);
    const perIp = await this.limiter.consume(ip === null ? null : rateLimitKeys.signInIp(ip), this.settings.signInPerIp, now);
    if (!perIp.ok) return perIp;
    const accountKey = rateLimitKeys.signInAccount(canonicalEmail);
    const failures = await this.store.peek(accountKey, now);
    if (!failures) return ok(NO_FAILURES);
    const policy = this.settings.signInFailuresPerAccount;
    if (failures.count >= policy.lockAfter) {
      this.metrics.locked(limitNameOf(accountKey));
      return fail(new AccountLocked(secondsUntil(failures.resetAt, now)));
    }
    const delay = this.delayAfter(failures.count);
    const allowedAt = addSeconds(failures.lastAt, delay);
    if (delay > 0 && now < allowedAt) {
      this.metrics.throttled(limitNameOf(accountKey));
      return fail(new RateLimited(secondsUntil(allowedAt, now)));
    }
    return ok(FAILURES_ON_RECORD);
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

  /** After a password reset the account starts with a clean slate. */
  async clear(canonicalEmail: string): Promise<void> {
    await this.store.reset(rateLimitKeys.signInAccount(canonicalEmail));
  }

  /**
   * After a right password the account starts with a clean slate. Skipped when `check` found no
   * failure on record (or counts none while limits are off): most sign-ins then write nothing here.
   * A failure recorded by a concurrent attempt after that check stays counted, as it came later.
   */
  async clearAfterSuccess(canonicalEmail: string, pass: ThrottlePass): Promise<void> {
    if (pass.failuresOnRecord) await this.clear(canonicalEmail);
  }
}
