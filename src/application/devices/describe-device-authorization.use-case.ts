import { formatUserCode } from "../../domain/device/user-code";
import { ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { Clock } from "../shared/ports/clock.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { RequestContext } from "../shared/request-context";
import type { DeviceStores } from "./device-stores";
import { UserCodeCheck, type UserCodeRefusal } from "./user-code-check";

export interface DescribeDeviceAuthorizationInput {
  readonly userId: string;
  readonly userCode: string;
  readonly context?: RequestContext;
}

/** What the approval page shows, so the user can tell a device of theirs from a phisher's (RFC 8628 §5.4). */
export interface DeviceAuthorizationView {
  /** XXXX-XXXX, to compare with the code the device shows. */
  readonly userCode: string;
  /** The configured name of the client, never a name the device sent. */
  readonly clientName: string;
  readonly requestIp: string | null;
  readonly requestedAt: Date;
  readonly expiresAt: Date;
}

/** The device waiting behind a user code, for a signed-in, verified user about to decide on it. */
export class DescribeDeviceAuthorization {
  private readonly check: UserCodeCheck;

  constructor(
    stores: DeviceStores,
    rateLimits: RateLimitStore,
    clock: Clock,
    private readonly settings: AuthSettings,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.check = new UserCodeCheck(stores, rateLimits, clock, settings, metrics);
  }

  async execute(input: DescribeDeviceAuthorizationInput): Promise<Result<DeviceAuthorizationView, UserCodeRefusal>> {
    const checked = await this.check.check(input.userId, input.userCode, input.context);
    if (!checked.ok) return checked;
    const { authorization } = checked.value;
    const client = this.settings.device.clients.find((candidate) => candidate.id === authorization.clientId);
    return ok({
      userCode: formatUserCode(authorization.userCode),
      clientName: client?.name ?? authorization.clientId,
      requestIp: authorization.requestIp,
      requestedAt: authorization.createdAt,
      expiresAt: authorization.expiresAt,
    });
  }
}
