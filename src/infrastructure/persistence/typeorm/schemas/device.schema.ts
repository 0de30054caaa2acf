import { EntitySchema } from "typeorm";
import { DeviceAuthorization, type DeviceAuthorizationSnapshot } from "../../../../domain/device/device-authorization";
import { DeviceToken, type DeviceTokenSnapshot } from "../../../../domain/device/device-token";

export type DeviceAuthorizationRow = { -readonly [K in keyof DeviceAuthorizationSnapshot]: DeviceAuthorizationSnapshot[K] };
export type DeviceTokenRow = { -readonly [K in keyof DeviceTokenSnapshot]: DeviceTokenSnapshot[K] };

export const DeviceAuthorizationSchema = new EntitySchema<DeviceAuthorizationRow>({
  name: "DeviceAuthorization",
  tableName: "device_authorizations",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "device_authorizations_pkey" },
    deviceCodeHash: { type: "text", name: "device_code_hash" },
    userCode: { type: "text", name: "user_code" },
    clientId: { type: "text", name: "client_id" },
    scope: { type: "text", nullable: true },
    status: { type: "text" },
    userId: {
      type: "text",
      name: "user_id",
      nullable: true,
      foreignKey: { target: "User", name: "device_authorizations_user_id_fkey", onDelete: "CASCADE" },
    },
    createdAt: { type: "timestamptz", name: "created_at" },
    expiresAt: { type: "timestamptz", name: "expires_at" },
    decidedAt: { type: "timestamptz", name: "decided_at", nullable: true },
    intervalSeconds: { type: "integer", name: "interval_seconds" },
    lastPolledAt: { type: "timestamptz", name: "last_polled_at", nullable: true },
    requestIp: { type: "text", name: "request_ip", nullable: true },
  },
  indices: [
    { name: "device_authorizations_device_code_hash_key", columns: ["deviceCodeHash"], unique: true },
    { name: "device_authorizations_user_code_key", columns: ["userCode"], unique: true },
    { name: "device_authorizations_user_id_idx", columns: ["userId"] },
    // Made by the retention migration (partial or not, TypeORM cannot compare them): declared so schema synchronisation leaves it alone.
    { name: "device_authorizations_expires_at_idx", columns: ["expiresAt"], synchronize: false },
  ],
});

export const DeviceTokenSchema = new EntitySchema<DeviceTokenRow>({
  name: "DeviceToken",
  tableName: "device_tokens",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "device_tokens_pkey" },
    userId: {
      type: "text",
      name: "user_id",
      foreignKey: { target: "User", name: "device_tokens_user_id_fkey", onDelete: "CASCADE" },
    },
    authorizationId: { type: "text", name: "authorization_id" },
    clientId: { type: "text", name: "client_id" },
    clientName: { type: "text", name: "client_name" },
    prefix: { type: "text" },
    secretHash: { type: "text", name: "secret_hash" },
    createdAt: { type: "timestamptz", name: "created_at" },
    lastUsedAt: { type: "timestamptz", name: "last_used_at", nullable: true },
    expiresAt: { type: "timestamptz", name: "expires_at" },
    revokedAt: { type: "timestamptz", name: "revoked_at", nullable: true },
    ip: { type: "text", nullable: true },
  },
  indices: [
    { name: "device_tokens_prefix_key", columns: ["prefix"], unique: true },
    // One token per device authorization: the database's own guard behind the single-winner redemption.
    { name: "device_tokens_authorization_id_key", columns: ["authorizationId"], unique: true },
    { name: "device_tokens_user_id_idx", columns: ["userId"] },
    // Made by the retention migration (partial or not, TypeORM cannot compare them): declared so schema synchronisation leaves it alone.
    { name: "device_tokens_expires_at_idx", columns: ["expiresAt"], synchronize: false },
    { name: "device_tokens_revoked_at_idx", columns: ["revokedAt"], synchronize: false },
  ],
});

export const toDeviceAuthorization = (row: DeviceAuthorizationRow): DeviceAuthorization =>
  DeviceAuthorization.restore({ ...row, intervalSeconds: Number(row.intervalSeconds) });
export const toDeviceToken = (row: DeviceTokenRow): DeviceToken => DeviceToken.restore({ ...row });
