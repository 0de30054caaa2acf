import { EntitySchema } from "typeorm";
import { Passkey } from "../../../../domain/passkey/passkey";
import type { PasskeyCeremony, PasskeyChallenge } from "../../../../domain/passkey/passkey-challenge";

export interface PasskeyRow {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Buffer;
  /** bigint: WebAuthn counters are unsigned 32-bit. pg returns it as a string. */
  counter: string | number;
  /** Comma-separated transport hints (`internal,hybrid`). */
  transports: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export const PasskeySchema = new EntitySchema<PasskeyRow>({
  name: "Passkey",
  tableName: "passkeys",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "passkeys_pkey" },
    userId: {
      type: "text",
      name: "user_id",
      foreignKey: { target: "User", name: "passkeys_user_id_fkey", onDelete: "CASCADE" },
    },
    credentialId: { type: "text", name: "credential_id" },
    publicKey: { type: "bytea", name: "public_key" },
    counter: { type: "bigint" },
    transports: { type: "text" },
    name: { type: "text" },
    createdAt: { type: "timestamptz", name: "created_at" },
    lastUsedAt: { type: "timestamptz", name: "last_used_at", nullable: true },
  },
  indices: [
    { name: "passkeys_credential_id_key", columns: ["credentialId"], unique: true },
    { name: "passkeys_user_id_idx", columns: ["userId"] },
  ],
});

export interface PasskeyChallengeRow {
  challenge: string;
  ceremony: string;
  userId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export const PasskeyChallengeSchema = new EntitySchema<PasskeyChallengeRow>({
  name: "PasskeyChallenge",
  tableName: "passkey_challenges",
  columns: {
    challenge: { type: "text", primary: true, primaryKeyConstraintName: "passkey_challenges_pkey" },
    ceremony: { type: "text" },
    userId: {
      type: "text",
      name: "user_id",
      nullable: true,
      foreignKey: { target: "User", name: "passkey_challenges_user_id_fkey", onDelete: "CASCADE" },
    },
    createdAt: { type: "timestamptz", name: "created_at" },
    expiresAt: { type: "timestamptz", name: "expires_at" },
  },
  indices: [{ name: "passkey_challenges_expires_at_idx", columns: ["expiresAt"] }],
});

export function toPasskey(row: PasskeyRow): Passkey {
  return Passkey.restore({
    id: row.id,
    userId: row.userId,
    credentialId: row.credentialId,
    publicKey: new Uint8Array(row.publicKey),
    counter: Number(row.counter),
    transports: row.transports ? row.transports.split(",") : [],
    name: row.name,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
  });
}

export function toPasskeyRow(passkey: Passkey): PasskeyRow {
  const s = passkey.toSnapshot();
  return { ...s, publicKey: Buffer.from(s.publicKey), transports: s.transports.join(",") };
}

export function toPasskeyChallenge(row: PasskeyChallengeRow): PasskeyChallenge {
  return { ...row, ceremony: row.ceremony as PasskeyCeremony };
}
