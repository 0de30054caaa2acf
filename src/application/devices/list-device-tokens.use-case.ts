import type { DeviceToken } from "../../domain/device/device-token";
import { ok, type Result } from "../../domain/shared/result";
import type { Clock } from "../shared/ports/clock.port";
import type { DeviceStores } from "./device-stores";

export interface ListDeviceTokensInput {
  readonly userId: string;
}

/** The user's device credentials that still work, newest first; never their secrets. */
export class ListDeviceTokens {
  constructor(
    private readonly stores: DeviceStores,
    private readonly clock: Clock,
  ) {}

  async execute(input: ListDeviceTokensInput): Promise<Result<DeviceToken[]>> {
    return ok(await this.stores.deviceTokens.listActiveForUser(input.userId, this.clock.now()));
  }
}
