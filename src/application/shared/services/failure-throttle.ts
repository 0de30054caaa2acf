import { AccountLocked, RateLimited } from "../../../domain/shared/domain-error";
import { addSeconds } from "../../../domain/session/session-policy";
import { fail, ok, type Result } from "../../../domain/shared/result";
import type { FailurePolicy, RateLimitRule, RateLimitSettings } from "../auth-settings";
import type { AuthMetrics } from "../ports/metrics.port";
import type { RateLimitStore } from "../ports/rate-limit-store.port";
import { limitNameOf, RateLimiter, secondsUntil } from "./rate-limiter";

export interface FailureThrottleRules {
  /** Attempts per client IP, successes included. */
  readonly perIp: RateLimitRule;
  /** Consecutive failures per subject: free ones, then doubling waits, then a lock. */
  readonly failures: FailurePolicy;
  readonly ipKey: (ip: string) => string;
  readonly subjectKey: (subject: string) => string;
}

/**
 * Brute-force protection for a secret checked on behalf of one subject (the second factor of a user),
 * shaped like the password's: attempts per IP, consecutive failures per subject with growing waits
 * and a lock. The check comes before the secret is verified, so a right guess during a wait is refused.
 */
export class FailureThrottle {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly store: RateLimitStore,
    private readonly settings: RateLimitSettings,
    private readonly rules: FailureThrottleRules,
    private readonly metrics: AuthMetrics,
  ) {
    this.limiter = new RateLimiter(store, settings, metrics);
  }

  async check(subject: string, ip: string | null, now: Date): Promise<Result<{ failuresOnRecord: boolean }, RateLimited | AccountLocked>> {
    if (!this.settings.enabled) return ok({ failuresOnRecord: false });
    const perIp = await this.limiter.consume(ip === null ? null : this.rules.ipKey(ip), this.rules.perIp, now);
    if (!perIp.ok) return perIp;
    const subjectKey = this.rules.subjectKey(subject);
    const failures = await this.store.peek(subjectKey, now);
    if (!failures) return ok({ failuresOnRecord: false });
    const policy = this.rules.failures;
    if (failures.count >= policy.lockAfter) {
      this.metrics.locked(limitNameOf(subjectKey));
      return fail(new AccountLocked(secondsUntil(failures.resetAt, now)));
    }
    const extra = failures.count - policy.freeFailures;
    const delay = extra <= 0 ? 0 : Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** (extra - 1));
    const allowedAt = addSeconds(failures.lastAt, delay);
    if (delay > 0 && now < allowedAt) {
      this.metrics.throttled(limitNameOf(subjectKey));
      return fail(new RateLimited(secondsUntil(allowedAt, now)));
    }
    return ok({ failuresOnRecord: true });
  }

  async recordFailure(subject: string, now: Date): Promise<void> {
    if (!this.settings.enabled) return;
    await this.store.hit(this.rules.subjectKey(subject), this.rules.failures.windowSeconds, now);
  }

  async clearAfterSuccess(subject: string, pass: { failuresOnRecord: boolean }): Promise<void> {
    if (pass.failuresOnRecord) await this.store.reset(this.rules.subjectKey(subject));
  }
}
