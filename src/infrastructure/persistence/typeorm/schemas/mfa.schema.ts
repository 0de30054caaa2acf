import { EntitySchema } from "typeorm";
import type { PasswordHash } from "../../../../domain/identity/password";
import { RecoveryCode } from "../../../../domain/mfa/recovery-code";

/** One TOTP factor per user; the seed only sealed (AES-256-GCM, see TotpSeedCipher). */
export interface TotpFactorRow {
  userId: string;
  secretSealed: Buffer;
  createdAt: Date;
  enabledAt: Date | null;
  /** bigint in the table: pg hands it back as a string. */
  lastUsedStep: string | number | null;
}

export const TotpFactorSchema = new EntitySchema<TotpFactorRow>({
  name: "TotpFactor",
  tableName: "totp_factors",
  columns: {
    userId: {
      type: "text",
      name: "user_id",
      primary: true,
      primaryKeyConstraintName: "totp_factors_pkey",
      foreignKey: { target: "User", name: "totp_factors_user_id_fkey", onDelete: "CASCADE" },
    },
    secretSealed: { type: "bytea", name: "secret_sealed" },
    createdAt: { type: "timestamptz", name: "created_at" },
    enabledAt: { type: "timestamptz", name: "enabled_at", nullable: true },
    lastUsedStep: { type: "bigint", name: "last_used_step", nullable: true },
  },
});

export interface RecoveryCodeRow {
  id: string;
  userId: string;
  lookup: string;
  codeHash: string;
  createdAt: Date;
  usedAt: Date | null;
}

export const RecoveryCodeSchema = new EntitySchema<RecoveryCodeRow>({
  name: "RecoveryCode",
  tableName: "recovery_codes",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "recovery_codes_pkey" },
    userId: {
      type: "text",
      name: "user_id",
      foreignKey: { target: "User", name: "recovery_codes_user_id_fkey", onDelete: "CASCADE" },
    },
    lookup: { type: "text" },
    codeHash: { type: "text", name: "code_hash" },
    createdAt: { type: "timestamptz", name: "created_at" },
    usedAt: { type: "timestamptz", name: "used_at", nullable: true },
  },
  indices: [{ name: "recovery_codes_user_id_lookup_idx", columns: ["userId", "lookup"] }],
});

export function toRecoveryCode(row: RecoveryCodeRow): RecoveryCode {
  return RecoveryCode.restore({ ...row, codeHash: row.codeHash as PasswordHash });
}

export function toRecoveryCodeRow(code: RecoveryCode): RecoveryCodeRow {
  return { ...code.toSnapshot() };
}
