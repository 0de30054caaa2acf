import type { InvalidEmail, RateLimited } from "../../domain/shared/domain-error";
import { ok, type Result } from "../../domain/shared/result";
import { Email } from "../../domain/identity/email";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { IdentityStores } from "./identity-stores";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { EmailTokens } from "./email-tokens";
import { rateLimitKeys, RateLimiter } from "../shared/services/rate-limiter";

export interface RequestPasswordResetInput {
  readonly email: string;
  readonly context: RequestContext;
}

/**
 * Mails a reset link if the address has an account. The answer is the same whether it has one or
 * not, whether the per-account mail limit was reached or not: only a malformed address or the
 * per-IP limit (the same for every address) is refused.
 */
export class RequestPasswordReset {
  private readonly limiter: RateLimiter;
  private readonly emailTokens: EmailTokens;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: IdentityStores,
    private readonly uow: UnitOfWork<IdentityStores>,
    randomTokens: RandomTokens,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.limiter = new RateLimiter(rateLimits, settings.rateLimits, metrics);
    this.emailTokens = new EmailTokens(randomTokens);
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: RequestPasswordResetInput): Promise<Result<void, InvalidEmail | RateLimited>> {
    const email = Email.create(input.email);
    if (!email.ok) return email;
    const now = this.clock.now();
    const limits = this.settings.rateLimits;
    const { ip } = input.context;
    const perIp = await this.limiter.consume(ip === null ? null : rateLimitKeys.emailIp(ip), limits.emailPerIp, now);
    if (!perIp.ok) return perIp;

    // Counted for unknown addresses too, so the work done does not depend on whether one exists.
    const perAccount = await this.limiter.consume(rateLimitKeys.emailAccount(email.value.value), limits.emailPerAccount, now);
    const user = await this.stores.users.findByEmail(email.value);
    if (!user || !perAccount.ok) return ok();

    await this.uow.run(async (stores) => {
      await this.emailTokens.issue(
        stores,
        { userId: user.id, email: user.email, purpose: "reset-password", ttlSeconds: this.settings.resetTokenTtlSeconds },
        now,
      );
      await this.events.record(stores.events, "password.reset-requested", user.id, input.context);
    });
    return ok();
  }
}
