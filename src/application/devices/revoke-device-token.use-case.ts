import { deviceTokenPrefixOf } from "../../domain/device/device-token";
import { constantTimeEqual } from "../../domain/shared/constant-time";
import { NotFound } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import type { DeviceStores } from "./device-stores";

/** By its owner (by id), or by whoever holds the token itself (RFC 7009 revocation, `cli logout`). */
export type RevokeDeviceTokenInput =
  | { readonly userId: string; readonly deviceTokenId: string; readonly context?: RequestContext }
  | { readonly token: string; readonly context?: RequestContext };

/**
 * Ends a device credential. By id: someone else's, unknown or already revoked is "not found". By
 * secret: RFC 7009 §2.2 answers the same whatever the token was, so an unknown token is not an error.
 */
export class RevokeDeviceToken {
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: DeviceStores,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: RevokeDeviceTokenInput): Promise<Result<void, NotFound>> {
    if ("token" in input) {
      const prefix = typeof input.token === "string" ? deviceTokenPrefixOf(input.token) : null;
      const token = prefix ? await this.stores.deviceTokens.findByPrefix(prefix) : null;
      if (token && constantTimeEqual(token.secretHash, this.randomTokens.hash(input.token))) {
        await this.revoke(token.userId, token.id, input.context);
      }
      return ok();
    }
    if (!(await this.revoke(input.userId, input.deviceTokenId, input.context))) return fail(new NotFound("Device"));
    return ok();
  }

  private async revoke(userId: string, id: string, context?: RequestContext): Promise<boolean> {
    if (!(await this.stores.deviceTokens.revoke(id, userId, this.clock.now()))) return false;
    await this.events.record(this.stores.events, "device.revoked", userId, context, { deviceTokenId: id });
    return true;
  }
}
