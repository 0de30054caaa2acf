import { RateLimited } from "../../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../../domain/shared/result";
import type { RateLimitRule, RateLimitSettings } from "../auth-settings";
import type { AuthMetrics } from "../ports/metrics.port";
import type { RateLimitStore } from "../ports/rate-limit-store.port";

/** Keys of the shared counters; one place so every entry point counts into the same bucket. */
export const rateLimitKeys = {
  signInIp: (ip: string) => `sign-in:ip:${ip}`,
  signInAccount: (canonicalEmail: string) => `sign-in:account:${canonicalEmail}`,
  signUpIp: (ip: string) => `sign-up:ip:${ip}`,
  emailIp: (ip: string) => `email:ip:${ip}`,
  emailAccount: (canonicalEmail: string) => `email:account:${canonicalEmail}`,
  invitationsUser: (userId: string) => `invitations:user:${userId}`,
};

/** The limit a key counts for, without whom it counts: `sign-in:ip:203.0.113.7` → `sign-in:ip`. */
export function limitNameOf(key: string): string {
  return key.split(":").slice(0, 2).join(":");
}

export function secondsUntil(later: Date, now: Date): number {
  return Math.max(1, Math.ceil((later.getTime() - now.getTime()) / 1000));
}

/**
 * Fixed-window limits in the application layer, so every entry point (route, server action) is covered.
 * Every refusal is counted here, by the limit's name, so no limit goes uncounted: the metrics are a
 * required argument, and every throttle is built on this class.
 */
export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly settings: RateLimitSettings,
    private readonly metrics: AuthMetrics,
  ) {}

  /**
   * Counts one hit and refuses it once the window holds more than `rule.limit`. A null key (no
   * client IP known, e.g. a call from a script) is not limited by IP.
   */
  async consume(key: string | null, rule: RateLimitRule, now: Date): Promise<Result<void, RateLimited>> {
    if (!this.settings.enabled || key === null) return ok();
    const count = await this.store.hit(key, rule.windowSeconds, now);
    if (count.count > rule.limit) {
      this.metrics.throttled(limitNameOf(key));
      return fail(new RateLimited(secondsUntil(count.resetAt, now)));
    }
    return ok();
  }

  /** A mail to an account on a client's request: the client IP's budget first, then the account's. */
  async consumeMail(ip: string | null, canonicalEmail: string, now: Date): Promise<Result<void, RateLimited>> {
    const perIp = await this.consume(ip === null ? null : rateLimitKeys.emailIp(ip), this.settings.emailPerIp, now);
    if (!perIp.ok) return perIp;
    return this.consume(rateLimitKeys.emailAccount(canonicalEmail), this.settings.emailPerAccount, now);
  }
}
