import type { DeviceAuthorization } from "../../domain/device/device-authorization";
import type { DeviceToken } from "../../domain/device/device-token";
import type { DeviceTokenCredentials } from "../shared/ports/bearer-credentials.port";

/**
 * The device flow's codes. Every change of state is a compare-and-set in the store, so concurrent
 * polls and approvals on several instances settle on one outcome.
 */
export interface DeviceAuthorizationRepository {
  /** False when the user code is already taken (the caller draws another). */
  insert(authorization: DeviceAuthorization): Promise<boolean>;
  findByDeviceCodeHash(hash: string): Promise<DeviceAuthorization | null>;
  findByUserCode(userCode: string): Promise<DeviceAuthorization | null>;
  /** Records a poll at `at` if the last recorded one is at least the current interval ago; false otherwise. */
  recordPoll(id: string, at: Date): Promise<boolean>;
  /** Adds `seconds` to the interval for every later poll; the new interval. */
  slowDown(id: string, seconds: number): Promise<number>;
  /** Pending and unexpired → approved or denied by `userId`; false when another decision (or the clock) came first. */
  decide(id: string, decision: "approved" | "denied", userId: string, at: Date): Promise<boolean>;
  /** Approved and unexpired → redeemed; true for exactly one caller. */
  redeem(id: string, at: Date): Promise<boolean>;
}

export interface DeviceTokenRepository extends DeviceTokenCredentials {
  /** Throws on a second token for the same authorization (a unique index: the last line of single redemption). */
  insert(token: DeviceToken): Promise<void>;
  /** The user's unrevoked, unexpired tokens, newest first. */
  listActiveForUser(userId: string, now: Date): Promise<DeviceToken[]>;
  /** Revokes the token if it is the user's and not revoked yet; false otherwise. */
  revoke(id: string, userId: string, at: Date): Promise<boolean>;
}
