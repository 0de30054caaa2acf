import { EntitySchema } from "typeorm";
import type { AuthEvent, AuthEventType } from "../../../../domain/shared/auth-event";

export interface AuthEventRow {
  seq?: string;
  id: string;
  type: string;
  // No foreign key: an event may name an account that is being deleted in the same transaction.
  userId: string | null;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, string>;
}

export const AuthEventSchema = new EntitySchema<AuthEventRow>({
  name: "AuthEvent",
  tableName: "auth_events",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "auth_events_pkey" },
    // Orders events recorded within the same millisecond.
    seq: { type: "bigint", generated: "increment" },
    type: { type: "text" },
    userId: { type: "text", name: "user_id", nullable: true },
    at: { type: "timestamptz" },
    ip: { type: "text", nullable: true },
    userAgent: { type: "text", name: "user_agent", nullable: true },
    detail: { type: "jsonb" },
  },
  indices: [
    { name: "auth_events_user_id_at_idx", columns: ["userId", "at"] },
    // An expression index ((detail->>'teamId'), seq), made by the teams migration: declared here only
    // so that schema synchronisation leaves it alone (it cannot describe an expression).
    { name: "auth_events_team_id_idx", columns: ["detail", "seq"], synchronize: false },
    // Made by the retention migration (partial or not, TypeORM cannot compare them): declared so schema synchronisation leaves it alone.
    { name: "auth_events_at_idx", columns: ["at"], synchronize: false },
  ],
});

export function toAuthEvent(row: AuthEventRow): AuthEvent {
  return {
    id: row.id,
    type: row.type as AuthEventType,
    userId: row.userId,
    at: row.at,
    ip: row.ip,
    userAgent: row.userAgent,
    detail: { ...row.detail },
  };
}

export function toAuthEventRow(event: AuthEvent): AuthEventRow {
  return {
    id: event.id,
    type: event.type,
    userId: event.userId,
    at: event.at,
    ip: event.ip,
    userAgent: event.userAgent,
    detail: { ...event.detail },
  };
}
