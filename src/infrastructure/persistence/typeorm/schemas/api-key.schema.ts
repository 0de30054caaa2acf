import { EntitySchema } from "typeorm";
import { ApiKey } from "../../../../domain/api-key/api-key";

export interface ApiKeyRow {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  secretHash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export const ApiKeySchema = new EntitySchema<ApiKeyRow>({
  name: "ApiKey",
  tableName: "api_keys",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "api_keys_pkey" },
    userId: {
      type: "text",
      name: "user_id",
      foreignKey: { target: "User", name: "api_keys_user_id_fkey", onDelete: "CASCADE" },
    },
    name: { type: "text" },
    prefix: { type: "text" },
    secretHash: { type: "text", name: "secret_hash" },
    createdAt: { type: "timestamptz", name: "created_at" },
    lastUsedAt: { type: "timestamptz", name: "last_used_at", nullable: true },
    revokedAt: { type: "timestamptz", name: "revoked_at", nullable: true },
  },
  indices: [
    { name: "api_keys_prefix_key", columns: ["prefix"], unique: true },
    { name: "api_keys_user_id_idx", columns: ["userId"] },
  ],
});

export function toApiKey(row: ApiKeyRow): ApiKey {
  return ApiKey.restore({ ...row });
}

export function toApiKeyRow(key: ApiKey): ApiKeyRow {
  return { ...key.toSnapshot() };
}
