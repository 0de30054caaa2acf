import { EntitySchema } from "typeorm";
import { AUTH_METHODS, Session, type AuthMethod } from "../../../../domain/session/session";

export interface SessionRow {
  id: string;
  userId: string;
  createdAt: Date;
  authenticatedAt: Date;
  lastAuthenticatedAt: Date;
  /** Comma-separated, e.g. "password,totp". */
  authMethods: string;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  rotatedAt: Date | null;
  replacedBy: string | null;
  userAgent: string | null;
  ip: string | null;
}

export const SessionSchema = new EntitySchema<SessionRow>({
  name: "Session",
  tableName: "sessions",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "sessions_pkey" },
    userId: {
      type: "text",
      name: "user_id",
      foreignKey: { target: "User", name: "sessions_user_id_fkey", onDelete: "CASCADE" },
    },
    createdAt: { type: "timestamptz", name: "created_at" },
    authenticatedAt: { type: "timestamptz", name: "authenticated_at" },
    lastAuthenticatedAt: { type: "timestamptz", name: "last_authenticated_at" },
    authMethods: { type: "text", name: "auth_methods" },
    lastSeenAt: { type: "timestamptz", name: "last_seen_at" },
    expiresAt: { type: "timestamptz", name: "expires_at" },
    revokedAt: { type: "timestamptz", name: "revoked_at", nullable: true },
    rotatedAt: { type: "timestamptz", name: "rotated_at", nullable: true },
    replacedBy: { type: "text", name: "replaced_by", nullable: true },
    userAgent: { type: "text", name: "user_agent", nullable: true },
    ip: { type: "text", nullable: true },
  },
  indices: [
    { name: "sessions_user_id_idx", columns: ["userId"] },
    // revoke(id) also ends the predecessor that points at it.
    { name: "sessions_replaced_by_idx", columns: ["replacedBy"] },
    // Made by the retention migration (partial or not, TypeORM cannot compare them): declared so schema synchronisation leaves it alone.
    { name: "sessions_user_live_idx", columns: ["userId", "expiresAt"], synchronize: false },
    { name: "sessions_expires_at_idx", columns: ["expiresAt"], synchronize: false },
    { name: "sessions_revoked_at_idx", columns: ["revokedAt"], synchronize: false },
  ],
});

export function toSession(row: SessionRow): Session {
  const authMethods = row.authMethods.split(",").filter((m): m is AuthMethod => (AUTH_METHODS as readonly string[]).includes(m));
  return Session.restore({ ...row, authMethods });
}

export function toSessionRow(session: Session): SessionRow {
  const snapshot = session.toSnapshot();
  return { ...snapshot, authMethods: snapshot.authMethods.join(",") };
}
