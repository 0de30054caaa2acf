import { Email } from "../../../domain/identity/email";
import {
  EmailTaken,
  InvalidInput,
  Unauthenticated,
  type InvalidEmail,
  type RateLimited,
  type ReauthenticationRequired,
} from "../../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../../domain/shared/result";
import type { AuthSettings } from "../../shared/auth-settings";
import { NO_METRICS, type AuthMetrics } from "../../shared/ports/metrics.port";
import type { Clock } from "../../shared/ports/clock.port";
import type { RandomTokens } from "../../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../../shared/ports/rate-limit-store.port";
import type { UnitOfWork } from "../../shared/ports/unit-of-work.port";
import type { RequestContext } from "../../shared/request-context";
import { AuthEvents } from "../../shared/services/auth-events";
import { FreshAuthentication } from "../../shared/services/fresh-authentication";
import { RateLimiter } from "../../shared/services/rate-limiter";
import { EmailTokens } from "../email-tokens";
import type { IdentityStores } from "../identity-stores";

export interface RequestEmailChangeInput {
  readonly userId: string;
  /** The session asking: changing the address takes a fresh authentication (step-up). */
  readonly sessionId: string;
  readonly newEmail: string;
  readonly context: RequestContext;
}

export type RequestEmailChangeError = Unauthenticated | ReauthenticationRequired | InvalidEmail | InvalidInput | EmailTaken | RateLimited;

/**
 * Starts a change of address: the new address gets a single-use confirmation link (the address moves
 * only when it is followed), the current one a notice, so a hijacked session cannot quietly move the
 * account away. An address another account holds, or a look-alike of it in another script (the same
 * skeleton), answers EMAIL_TAKEN, as sign-up does.
 */
export class RequestEmailChange {
  private readonly fresh: FreshAuthentication;
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
    this.fresh = new FreshAuthentication(settings.freshAuthMaxAgeSeconds);
    this.limiter = new RateLimiter(rateLimits, settings.rateLimits, metrics);
    this.emailTokens = new EmailTokens(randomTokens);
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: RequestEmailChangeInput): Promise<Result<void, RequestEmailChangeError>> {
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    const now = this.clock.now();
    const fresh = await this.fresh.require(this.stores.sessions, input.sessionId, now);
    if (!fresh.ok) return fresh;
    const parsed = Email.create(typeof input.newEmail === "string" ? input.newEmail : "");
    if (!parsed.ok) return parsed;
    const newEmail = parsed.value;
    if (newEmail.value === user.email) {
      const message = "This is already your address. Enter the new one.";
      return fail(new InvalidInput(message, { newEmail: message }));
    }
    const holder = (await this.stores.users.findByEmail(newEmail)) ?? (await this.stores.users.findLookAlike(newEmail));
    // A look-alike of the account's own address is still that person's: not taken.
    if (holder && holder.id !== user.id) return fail(new EmailTaken());

    const limited = await this.limiter.consumeMail(input.context.ip, user.email, now);
    if (!limited.ok) return limited;

    await this.uow.run(async (stores) => {
      await this.emailTokens.issue(
        stores,
        { userId: user.id, email: newEmail.value, purpose: "change-email", ttlSeconds: this.settings.verifyTokenTtlSeconds },
        now,
      );
      await stores.outbox.enqueue({ to: user.email, template: "email-change-requested", params: { newEmail: newEmail.value } });
      await this.events.record(stores.events, "email.change-requested", user.id, input.context);
    });
    return ok();
  }
}
