import type { EntityManager } from "typeorm";
import type { LeaseClaim, RetentionRule, RetentionStore } from "../../../../application/retention";
import { sql } from "../sql";

/**
 * Each rule: the table, its key, the condition naming dead rows at `$1`, and the indexed column a batch
 * walks in order. Every rule on a table that grows with use is served by an index (migration
 * 1765300000000): walking it in order reads the rows a batch deletes and stops, never the table (a
 * sequential scan would step over more and more dead rows as a pass goes on). Spent tokens and ended
 * invitations are found through their partial indexes or, for invitations (a few per team), by a scan.
 */
interface Rule {
  readonly table: string;
  readonly key: string;
  readonly dead: string;
  readonly order?: string;
}

const RULES: Record<RetentionRule, Rule> = {
  "sessions.expired": { table: "sessions", key: "id", dead: "expires_at < $1", order: "expires_at" },
  "sessions.revoked": { table: "sessions", key: "id", dead: "revoked_at < $1", order: "revoked_at" },
  "verificationTokens.expired": { table: "verification_tokens", key: "id", dead: "expires_at < $1", order: "expires_at" },
  "verificationTokens.spent": { table: "verification_tokens", key: "id", dead: "(consumed_at < $1 OR invalidated_at < $1)" },
  "deviceAuthorizations.expired": { table: "device_authorizations", key: "id", dead: "expires_at < $1", order: "expires_at" },
  "deviceTokens.expired": { table: "device_tokens", key: "id", dead: "expires_at < $1", order: "expires_at" },
  "deviceTokens.revoked": { table: "device_tokens", key: "id", dead: "revoked_at < $1", order: "revoked_at" },
  "invitations.expired": { table: "team_invitations", key: "id", dead: "expires_at < $1", order: "expires_at" },
  "invitations.ended": {
    table: "team_invitations",
    key: "id",
    dead: "(accepted_at < $1 OR declined_at < $1 OR invalidated_at < $1)",
  },
  "outbox.sent": { table: "outbox", key: "id", dead: "sent_at < $1", order: "sent_at" },
  "outbox.failed": { table: "outbox", key: "id", dead: "failed_at < $1", order: "failed_at" },
  "rateLimits.expired": { table: "rate_limits", key: "key", dead: "reset_at <= $1", order: "reset_at" },
  "authEvents.old": { table: "auth_events", key: "id", dead: "at < $1", order: "at" },
};

/** One batch: the keys found through the rule's index, then deleted by primary key (`= ANY` of an array, never a join that scans the table). */
export function batchDeleteSql(rule: Rule): string {
  const { table, key, dead, order } = rule;
  return `DELETE FROM ${table} WHERE ${key} = ANY(ARRAY(
    SELECT ${key} FROM ${table} WHERE ${dead}${order ? ` ORDER BY ${order}` : ""} LIMIT $2 FOR UPDATE SKIP LOCKED))`;
}

export const RETENTION_SQL: Readonly<Record<RetentionRule, string>> = Object.fromEntries(
  Object.entries(RULES).map(([rule, spec]) => [rule, batchDeleteSql(spec)]),
) as Record<RetentionRule, string>;

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
    const { affected } = await sql(this.manager, RETENTION_SQL[rule], [cutoff, Math.max(0, Math.floor(limit))]);
    return affected;
  }
}
