import type { ApiKey } from "../../../domain/api-key/api-key";
import type { DeviceToken } from "../../../domain/device/device-token";

// The bearer credentials as the request check and the account-wide revocations see them. Declared
// here, in shared, because three capabilities meet on them: api-keys and devices own and implement the
// stores (their repositories extend these), the credentials capability reads them on every request,
// and identity and sessions end device tokens (sign-out-all, password reset and change, deletion)
// without importing the devices capability.

export interface ApiKeyCredentials {
  findByPrefix(prefix: string): Promise<ApiKey | null>;
  /** Sets last use to `at` unless one at or after `notBefore` is already recorded (one write a minute at most). */
  recordUse(id: string, at: Date, notBefore: Date): Promise<void>;
}

export interface DeviceTokenCredentials {
  findByPrefix(prefix: string): Promise<DeviceToken | null>;
  /** Sets last use to `at` unless one at or after `notBefore` is already recorded. */
  recordUse(id: string, at: Date, notBefore: Date): Promise<void>;
  /** Revokes every live device token of the user; how many. */
  revokeAllForUser(userId: string, at: Date): Promise<number>;
}
