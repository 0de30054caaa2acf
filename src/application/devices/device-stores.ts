import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { UseCasePorts } from "../shared/use-case-ports";
import type { DeviceAuthorizationRepository, DeviceTokenRepository } from "./device-repositories.port";

/** What the device use cases store: the shared stores, the device flow's codes and the tokens it mints. */
export interface DeviceStores extends SharedStores {
  readonly deviceAuthorizations: DeviceAuthorizationRepository;
  readonly deviceTokens: DeviceTokenRepository;
}

export type DevicePorts = UseCasePorts<DeviceStores>;
