import { InvalidUserCode } from "../../domain/device/device-errors";
import type { ReauthenticationRequired } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { FreshAuthentication } from "../shared/services/fresh-authentication";
import type { DeviceStores } from "./device-stores";
import { UserCodeCheck, type UserCodeRefusal } from "./user-code-check";

export interface DecideDeviceAuthorizationInput {
  readonly userId: string;
  /** The approving session: recorded with the decision, so an approval is traceable to where it was made. */
  readonly sessionId: string;
  readonly userCode: string;
  readonly decision: "approve" | "deny";
  readonly context?: RequestContext;
}

/**
 * Approves or denies the device behind a user code. Approving hands out a credential, so it takes a
 * session freshly authenticated (step-up; RFC 8628 §5.4); denying is always allowed. The decision is one compare-and-set on a pending,
 * unexpired code: of two concurrent decisions exactly one lands, and a decided code is dead to the page.
 */
export class DecideDeviceAuthorization {
  private readonly check: UserCodeCheck;
  private readonly fresh: FreshAuthentication;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: DeviceStores,
    randomTokens: RandomTokens,
    rateLimits: RateLimitStore,
    clock: Clock,
    settings: AuthSettings,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.check = new UserCodeCheck(stores, rateLimits, clock, settings, metrics);
    this.fresh = new FreshAuthentication(settings.freshAuthMaxAgeSeconds);
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(
    input: DecideDeviceAuthorizationInput,
  ): Promise<Result<{ decision: "approved" | "denied" }, UserCodeRefusal | ReauthenticationRequired>> {
    const checked = await this.check.check(input.userId, input.userCode, input.context);
    if (!checked.ok) return checked;
    const { user, authorization, now } = checked.value;
    const decision = input.decision === "approve" ? "approved" : "denied";
    if (decision === "approved") {
      const fresh = await this.fresh.require(this.stores.sessions, input.sessionId, now);
      if (!fresh.ok) return fresh;
    }
    if (!(await this.stores.deviceAuthorizations.decide(authorization.id, decision, user.id, now))) return fail(new InvalidUserCode());
    await this.events.record(this.stores.events, decision === "approved" ? "device.approved" : "device.denied", user.id, input.context, {
      authorizationId: authorization.id,
      clientId: authorization.clientId,
      sessionId: input.sessionId,
    });
    return ok({ decision });
  }
}
