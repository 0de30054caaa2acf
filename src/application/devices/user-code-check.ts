import type { DeviceAuthorization } from "../../domain/device/device-authorization";
import { InvalidUserCode } from "../../domain/device/device-errors";
import { normaliseUserCode } from "../../domain/device/user-code";
import type { User } from "../../domain/identity/user";
import { EmailNotVerified, Unauthenticated, type RateLimited } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { AuthMetrics } from "../shared/ports/metrics.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { RequestContext } from "../shared/request-context";
import { RateLimiter } from "../shared/services/rate-limiter";
import type { DeviceStores } from "./device-stores";

export type UserCodeRefusal = Unauthenticated | EmailNotVerified | RateLimited | InvalidUserCode;

/**
 * What the approval page does before it shows or decides anything: the user is signed in with a
 * verified address (read from the store now), the look-up is within its throttles (per client IP,
 * per approving user, per code: RFC 8628 §5.1 brute force of user codes), and the code names a device
 * still waiting for a decision.
 */
export class UserCodeCheck {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly stores: DeviceStores,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
    metrics: AuthMetrics,
  ) {
    this.limiter = new RateLimiter(rateLimits, settings.rateLimits, metrics);
  }

  async check(
    userId: string,
    rawCode: string,
    context: RequestContext | undefined,
  ): Promise<Result<{ user: User; authorization: DeviceAuthorization; now: Date }, UserCodeRefusal>> {
    const user = await this.stores.users.findById(userId);
    if (!user) return fail(new Unauthenticated());
    if (!user.emailVerified) return fail(new EmailNotVerified());
    const now = this.clock.now();
    const limits = this.settings.device;
    const code = normaliseUserCode(rawCode);
    for (const [key, rule] of [
      [context?.ip ? `device:ip:${context.ip}` : null, limits.perIp],
      [`device:user:${user.id}`, limits.perUser],
      [code ? `device:code:${code}` : null, limits.perCode],
    ] as const) {
      const allowed = await this.limiter.consume(key, rule, now);
      if (!allowed.ok) return allowed;
    }
    if (!code) return fail(new InvalidUserCode());
    const authorization = await this.stores.deviceAuthorizations.findByUserCode(code);
    if (!authorization || !authorization.isAwaitingDecision(now)) return fail(new InvalidUserCode());
    return ok({ user, authorization, now });
  }
}
