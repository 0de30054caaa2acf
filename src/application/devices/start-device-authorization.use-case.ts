import { DeviceAuthorization } from "../../domain/device/device-authorization";
import { InvalidClient } from "../../domain/device/device-errors";
import { formatUserCode, userCodeFromRandomHex } from "../../domain/device/user-code";
import type { RateLimited } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { AuthMetrics } from "../shared/ports/metrics.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { RateLimiter } from "../shared/services/rate-limiter";
import type { DeviceStores } from "./device-stores";

export interface StartDeviceAuthorizationInput {
  readonly clientId: string;
  readonly scope?: string | null;
  readonly context?: RequestContext;
}

export interface StartDeviceAuthorizationOutput {
  /** The device's secret: 256 random bits, only its SHA-256 is stored. */
  readonly deviceCode: string;
  /** XXXX-XXXX, for the user to type or compare on the approval page. */
  readonly userCode: string;
  readonly expiresIn: number;
  readonly interval: number;
}

// A clash of user codes among live ones is a 1 in 20^8 event; a few draws make it vanish.
const USER_CODE_ATTEMPTS = 5;

/**
 * RFC 8628 §3.1–3.2: a configured first-party client asks for a device code and a user code. The
 * endpoint needs no credential, so codes issued to one client IP are limited: each is a row until it
 * expires, and a flood would fill the table between two retention passes.
 */
export class StartDeviceAuthorization {
  private readonly events: AuthEvents;
  private readonly limiter: RateLimiter;

  constructor(
    private readonly stores: DeviceStores,
    private readonly randomTokens: RandomTokens,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
    metrics: AuthMetrics,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
    this.limiter = new RateLimiter(rateLimits, settings.rateLimits, metrics);
  }

  async execute(input: StartDeviceAuthorizationInput): Promise<Result<StartDeviceAuthorizationOutput, InvalidClient | RateLimited>> {
    const device = this.settings.device;
    if (!device.clients.some((client) => client.id === input.clientId)) return fail(new InvalidClient());
    const now = this.clock.now();
    const allowed = await this.limiter.consume(input.context?.ip ? `device-code:ip:${input.context.ip}` : null, device.issuePerIp, now);
    if (!allowed.ok) return allowed;
    const deviceCode = this.randomTokens.newSecret();
    for (let attempt = 0; attempt < USER_CODE_ATTEMPTS; attempt++) {
      const userCode = userCodeFromRandomHex(this.randomTokens.hash(this.randomTokens.newSecret()));
      const authorization = DeviceAuthorization.create(
        {
          id: this.randomTokens.newId(),
          deviceCodeHash: this.randomTokens.hash(deviceCode),
          userCode,
          clientId: input.clientId,
          scope: typeof input.scope === "string" && input.scope.length > 0 ? input.scope.slice(0, 200) : null,
          requestIp: input.context?.ip ?? null,
        },
        now,
        device.codeTtlSeconds,
        device.intervalSeconds,
      );
      if (!(await this.stores.deviceAuthorizations.insert(authorization))) continue;
      await this.events.record(this.stores.events, "device.code-issued", null, input.context, { clientId: input.clientId, authorizationId: authorization.id });
      return ok({ deviceCode, userCode: formatUserCode(userCode), expiresIn: device.codeTtlSeconds, interval: device.intervalSeconds });
    }
    throw new Error("could not draw a free user code");
  }
}
