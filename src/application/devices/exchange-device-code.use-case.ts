import { SLOW_DOWN_STEP_SECONDS } from "../../domain/device/device-authorization";
import {
  AccessDenied,
  AuthorizationPending,
  ExpiredToken,
  InvalidClient,
  InvalidGrant,
  SlowDown,
} from "../../domain/device/device-errors";
import { DEVICE_TOKEN_KIND_PREFIX, DEVICE_TOKEN_PREFIX_LENGTH, DeviceToken } from "../../domain/device/device-token";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import type { DeviceStores } from "./device-stores";

export interface ExchangeDeviceCodeInput {
  readonly clientId: string;
  readonly deviceCode: string;
  readonly context?: RequestContext;
}

export interface ExchangeDeviceCodeOutput {
  /** `nah_dt_<prefix>_<secret>`: handed to the device once, stored only hashed. */
  readonly accessToken: string;
  readonly expiresIn: number;
}

export type ExchangeRefusal = InvalidClient | InvalidGrant | AuthorizationPending | SlowDown | AccessDenied | ExpiredToken;

/**
 * RFC 8628 §3.4–3.5: the device polls with its device code. A poll sooner than the interval after the
 * last answered one gets `slow_down` and the interval grows by 5 s for good; that refused poll is not
 * recorded (recording it would keep a steady poller in `slow_down` for ever). An approved code is
 * redeemed by one compare-and-set in the same transaction as the token's insert, so concurrent polls
 * on any number of instances yield exactly one token.
 */
export class ExchangeDeviceCode {
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: DeviceStores,
    private readonly uow: UnitOfWork<DeviceStores>,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: ExchangeDeviceCodeInput): Promise<Result<ExchangeDeviceCodeOutput, ExchangeRefusal>> {
    const client = this.settings.device.clients.find((candidate) => candidate.id === input.clientId);
    if (!client) return fail(new InvalidClient());
    if (typeof input.deviceCode !== "string" || input.deviceCode.length === 0 || input.deviceCode.length > 256) return fail(new InvalidGrant());
    const authorization = await this.stores.deviceAuthorizations.findByDeviceCodeHash(this.randomTokens.hash(input.deviceCode));
    // A code issued to another client is no code for this one (RFC 6749 §5.2 invalid_grant).
    if (!authorization || authorization.clientId !== client.id) return fail(new InvalidGrant());
    const now = this.clock.now();

    const state = authorization.pollState(now);
    if (state === "expired") return fail(new ExpiredToken());
    if (state === "denied") return fail(new AccessDenied());
    if (state === "redeemed") return fail(new InvalidGrant("The device code was already used."));
    if (!(await this.stores.deviceAuthorizations.recordPoll(authorization.id, now))) {
      return fail(new SlowDown(await this.stores.deviceAuthorizations.slowDown(authorization.id, SLOW_DOWN_STEP_SECONDS)));
    }
    if (state === "pending") return fail(new AuthorizationPending());

    const prefix = this.randomTokens.hash(this.randomTokens.newId()).slice(0, DEVICE_TOKEN_PREFIX_LENGTH);
    const accessToken = `${DEVICE_TOKEN_KIND_PREFIX}${prefix}_${this.randomTokens.newSecret()}`;
    const token = DeviceToken.create(
      {
        id: this.randomTokens.newId(),
        userId: authorization.userId!,
        authorizationId: authorization.id,
        clientId: client.id,
        clientName: client.name,
        prefix,
        secretHash: this.randomTokens.hash(accessToken),
        ip: authorization.requestIp,
      },
      now,
      this.settings.device.tokenTtlSeconds,
    );
    const redeemed = await this.uow.run(async (stores) => {
      if (!(await stores.deviceAuthorizations.redeem(authorization.id, now))) return fail(new InvalidGrant("The device code was already used."));
      await stores.deviceTokens.insert(token);
      await this.events.record(stores.events, "device.token-issued", token.userId, input.context, { deviceTokenId: token.id, clientId: client.id });
      return ok();
    });
    if (!redeemed.ok) return redeemed;
    return ok({ accessToken, expiresIn: token.secondsLeft(now) });
  }
}
