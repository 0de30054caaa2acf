// Devices: the RFC 8628 device flow (codes, approval, token) and the device credentials it yields.
import type { UseCaseRegistry } from "../shared/use-case-ports";
import { DecideDeviceAuthorization } from "./decide-device-authorization.use-case";
import { DescribeDeviceAuthorization } from "./describe-device-authorization.use-case";
import type { DevicePorts } from "./device-stores";
import { ExchangeDeviceCode } from "./exchange-device-code.use-case";
import { ListDeviceTokens } from "./list-device-tokens.use-case";
import { RevokeDeviceToken } from "./revoke-device-token.use-case";
import { StartDeviceAuthorization } from "./start-device-authorization.use-case";

/** The device use cases, each built from its ports: the one place they are registered. */
export const deviceUseCases = {
  startDeviceAuthorization: (p: DevicePorts) => new StartDeviceAuthorization(p.stores, p.randomTokens, p.rateLimits, p.clock, p.settings, p.metrics),
  exchangeDeviceCode: (p: DevicePorts) => new ExchangeDeviceCode(p.stores, p.uow, p.randomTokens, p.clock, p.settings),
  describeDeviceAuthorization: (p: DevicePorts) => new DescribeDeviceAuthorization(p.stores, p.rateLimits, p.clock, p.settings, p.metrics),
  decideDeviceAuthorization: (p: DevicePorts) =>
    new DecideDeviceAuthorization(p.stores, p.randomTokens, p.rateLimits, p.clock, p.settings, p.metrics),
  listDeviceTokens: (p: DevicePorts) => new ListDeviceTokens(p.stores, p.clock),
  revokeDeviceToken: (p: DevicePorts) => new RevokeDeviceToken(p.stores, p.randomTokens, p.clock),
} satisfies UseCaseRegistry<DevicePorts>;

export { DecideDeviceAuthorization, DescribeDeviceAuthorization, ExchangeDeviceCode, ListDeviceTokens, RevokeDeviceToken, StartDeviceAuthorization };
export type { DevicePorts, DeviceStores } from "./device-stores";
export type { DeviceAuthorizationRepository, DeviceTokenRepository } from "./device-repositories.port";
export type { StartDeviceAuthorizationInput, StartDeviceAuthorizationOutput } from "./start-device-authorization.use-case";
export type { ExchangeDeviceCodeInput, ExchangeDeviceCodeOutput, ExchangeRefusal } from "./exchange-device-code.use-case";
export type { DescribeDeviceAuthorizationInput, DeviceAuthorizationView } from "./describe-device-authorization.use-case";
export type { DecideDeviceAuthorizationInput } from "./decide-device-authorization.use-case";
export type { ListDeviceTokensInput } from "./list-device-tokens.use-case";
export type { RevokeDeviceTokenInput } from "./revoke-device-token.use-case";
export type { UserCodeRefusal } from "./user-code-check";
