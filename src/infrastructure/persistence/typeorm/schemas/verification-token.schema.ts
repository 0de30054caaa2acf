import { EntitySchema } from "typeorm";
import { VerificationToken, type TokenPurpose } from "../../../../domain/identity/verification-token";

export interface VerificationTokenRow {
  id: string;
  userId: string;
  purpose: string;
  tokenHash: string;
  email: string;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
  invalidatedAt: Date | null;
}

export const VerificationTokenSchema = new EntitySchema<VerificationTokenRow>({
  name: "VerificationToken",
  tableName: "verification_tokens",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "verification_tokens_pkey" },
    userId: {
      type: "text",
      name: "user_id",
      foreignKey: { target: "User", name: "verification_tokens_user_id_fkey", onDelete: "CASCADE" },
    },
    purpose: { type: "text" },
    tokenHash: { type: "text", name: "token_hash" },
    email: { type: "text" },
    createdAt: { type: "timestamptz", name: "created_at" },
    expiresAt: { type: "timestamptz", name: "expires_at" },
    consumedAt: { type: "timestamptz", name: "consumed_at", nullable: true },
    invalidatedAt: { type: "timestamptz", name: "invalidated_at", nullable: true },
  },
  indices: [
    { name: "verification_tokens_token_hash_key", columns: ["tokenHash"], unique: true },
    { name: "verification_tokens_user_id_purpose_idx", columns: ["userId", "purpose"] },
    // Made by the retention migration (partial or not, TypeORM cannot compare them): declared so schema synchronisation leaves it alone.
    { name: "verification_tokens_expires_at_idx", columns: ["expiresAt"], synchronize: false },
    { name: "verification_tokens_consumed_at_idx", columns: ["consumedAt"], synchronize: false },
    { name: "verification_tokens_invalidated_at_idx", columns: ["invalidatedAt"], synchronize: false },
  ],
});

export function toVerificationToken(row: VerificationTokenRow): VerificationToken {
  return VerificationToken.restore({ ...row, purpose: row.purpose as TokenPurpose });
}

export function toVerificationTokenRow(token: VerificationToken): VerificationTokenRow {
  return { ...token.toSnapshot() };
}
