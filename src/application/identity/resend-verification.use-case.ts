import { Unauthenticated, type RateLimited } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
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
import { RateLimiter } from "../shared/services/rate-limiter";

export interface ResendVerificationInput {
  readonly userId: string;
  readonly context: RequestContext;
}

export interface ResendVerificationOutput {
  /** False when the address is verified already: nothing to send. */
  readonly sent: boolean;
}

/** Mails a fresh verification link; the new link supersedes every older one. */
export class ResendVerification {
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

  async execute(input: ResendVerificationInput): Promise<Result<ResendVerificationOutput, Unauthenticated | RateLimited>> {
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    if (user.emailVerified) return ok({ sent: false });

    const now = this.clock.now();
    const limited = await this.limiter.consumeMail(input.context.ip, user.email, now);
    if (!limited.ok) return limited;

    await this.uow.run(async (stores) => {
      await this.emailTokens.issue(
        stores,
        { userId: user.id, email: user.email, purpose: "verify-email", ttlSeconds: this.settings.verifyTokenTtlSeconds },
        now,
      );
      await this.events.record(stores.events, "email.verification-sent", user.id, input.context);
    });
    return ok({ sent: true });
  }
}
