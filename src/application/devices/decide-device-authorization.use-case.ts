import { InvalidUserCode } from "../../domain/device/device-errors";
import type { AccountLocked, InvalidCredentials } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { PasswordHasher } from "../shared/ports/password-hasher.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { Reauthentication } from "../shared/services/reauthentication";
import type { DeviceStores } from "./device-stores";
import { UserCodeCheck, type UserCodeRefusal } from "./user-code-check";

export interface DecideDeviceAuthorizationInput {
  readonly userId: string;
  /** The approving session: recorded with the decision, so an approval is traceable to where it was made. */
  readonly sessionId: string;
  readonly userCode: string;
  /**
   * The user's password, typed again on the approval form: the fresh authentication RFC 8628 §5.4 and
   * the contract ask for, until a step-up of the session exists.
   */
  readonly password: string;
  readonly decision: "approve" | "deny";
  readonly context?: RequestContext;
}

/**
 * Approves or denies the device behind a user code. The decision is one compare-and-set on a pending,
 * unexpired code: of two concurrent decisions exactly one lands, and a decided code is dead to the page.
 */
export class DecideDeviceAuthorization {
  private readonly check: UserCodeCheck;
  private readonly reauthentication: Reauthentication;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: DeviceStores,
    hasher: PasswordHasher,
    randomTokens: RandomTokens,
    rateLimits: RateLimitStore,
    clock: Clock,
    settings: AuthSettings,
  ) {
    this.check = new UserCodeCheck(stores, rateLimits, clock, settings);
    this.reauthentication = new Reauthentication(hasher, rateLimits, settings);
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(
    input: DecideDeviceAuthorizationInput,
  ): Promise<Result<{ decision: "approved" | "denied" }, UserCodeRefusal | InvalidCredentials | AccountLocked>> {
    const checked = await this.check.check(input.userId, input.userCode, input.context);
    if (!checked.ok) return checked;
    const { user, authorization, now } = checked.value;
    const fresh = await this.reauthentication.verify(user, input.password, input.context, now);
    if (!fresh.ok) return fresh;
    const decision = input.decision === "approve" ? "approved" : "denied";
    if (!(await this.stores.deviceAuthorizations.decide(authorization.id, decision, user.id, now))) return fail(new InvalidUserCode());
    await this.events.record(this.stores.events, decision === "approved" ? "device.approved" : "device.denied", user.id, input.context, {
      authorizationId: authorization.id,
      clientId: authorization.clientId,
      sessionId: input.sessionId,
    });
    return ok({ decision });
  }
}
