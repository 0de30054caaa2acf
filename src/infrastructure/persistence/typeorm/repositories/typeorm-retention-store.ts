import type { EntityManager } from "typeorm";
import type { LeaseClaim, RetentionRule, RetentionStore } from "../../../../application/retention";
import { sql } from "../sql";

/**
 * Each rule: the table, its key, and the condition naming dead rows at `$1`. Every condition on a table
 * that grows with use is served by an index (migration 1765300000000), so a batch reads the rows it
 * deletes, not the table; ended invitations (a few per team) are found by scanning their table.
 */
const RULES: Record<RetentionRule, { readonly table: string; readonly key: string; readonly dead: string }> = {
  "sessions.expired": { table: "sessions", key: "id", dead: "expires_at < $1" },
  "sessions.revoked": { table: "sessions", key: "id", dead: "revoked_at < $1" },
  "verificationTokens.expired": { table: "verification_tokens", key: "id", dead: "expires_at < $1" },
  "verificationTokens.spent": { table: "verification_tokens", key: "id", dead: "(consumed_at < $1 OR invalidated_at < $1)" },
  "deviceAuthorizations.expired": { table: "device_authorizations", key: "id", dead: "expires_at < $1" },
  "deviceTokens.expired": { table: "device_tokens", key: "id", dead: "expires_at < $1" },
  "deviceTokens.revoked": { table: "device_tokens", key: "id", dead: "revoked_at < $1" },
  "invitations.expired": { table: "team_invitations", key: "id", dead: "expires_at < $1" },
  "invitations.ended": {
    table: "team_invitations",
    key: "id",
    dead: "(accepted_at < $1 OR declined_at < $1 OR invalidated_at < $1)",
  },
  "outbox.sent": { table: "outbox", key: "id", dead: "sent_at < $1" },
  "rateLimits.expired": { table: "rate_limits", key: "key", dead: "reset_at <= $1" },
  "authEvents.old": { table: "auth_events", key: "id", dead: "at < $1" },
};

/** Batched deletes and the `leases` table, on the data source's own manager (never a unit of work's). */
export class TypeOrmRetentionStore implements RetentionStore {
  constructor(private readonly manager: EntityManager) {}

  /** One upsert: two instances claiming at once queue on the row, and the second sees the first's lease. */
  async acquireLease(claim: LeaseClaim): Promise<boolean> {
    const { rows } = await sql(
      this.manager,
      `INSERT INTO leases AS l (name, holder, expires_at) VALUES ($1, $2, $4)
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE l.holder = EXCLUDED.holder OR l.expires_at <= $3
       RETURNING holder`,
      [claim.name, claim.holder, claim.now, claim.until],
    );
    return rows.length === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await sql(this.manager, `DELETE FROM leases WHERE name = $1 AND holder = $2`, [name, holder]);
  }

  /** SKIP LOCKED: a row a request is writing right now waits for the next batch instead of blocking it. */
  async deleteBatch(rule: RetentionRule, cutoff: Date, limit: number): Promise<number> {
    const { table, key, dead } = RULES[rule];
    const { affected } = await sql(
      this.manager,
      `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${dead} LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [cutoff, Math.max(0, Math.floor(limit))],
    );
    return affected;
  }
}
