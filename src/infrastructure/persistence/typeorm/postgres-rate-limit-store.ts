import type { EntityManager } from "typeorm";
import type { RateLimitCount, RateLimitStore } from "../../../application/shared/ports/rate-limit-store.port";
import { sql } from "./sql";

interface CounterRow {
  count: number;
  reset_at: Date;
  last_at: Date;
}

/**
 * Fixed-window counters in the `rate_limits` table, shared by every instance. Give it the
 * data source's own manager, never a unit of work's: a counted failure must survive the rollback
 * of the request that caused it.
 */
export class PostgresRateLimitStore implements RateLimitStore {
  constructor(private readonly manager: EntityManager) {}

  /** One upsert: concurrent hits on one key queue on its row lock, none is lost or counted twice. */
  async hit(key: string, windowSeconds: number, now: Date): Promise<RateLimitCount> {
    const { rows } = await sql<CounterRow>(
      this.manager,
      `INSERT INTO rate_limits AS r (key, count, reset_at, last_at)
       VALUES ($1, 1, $3, $2)
       ON CONFLICT (key) DO UPDATE SET
         count    = CASE WHEN r.reset_at <= $2 THEN 1 ELSE r.count + 1 END,
         reset_at = CASE WHEN r.reset_at <= $2 THEN $3 ELSE r.reset_at END,
         last_at  = $2
       RETURNING count, reset_at, last_at`,
      [key, now, new Date(now.getTime() + windowSeconds * 1000)],
    );
    return toCount(rows[0]!);
  }

  async peek(key: string, now: Date): Promise<RateLimitCount | null> {
    const { rows } = await sql<CounterRow>(
      this.manager,
      `SELECT count, reset_at, last_at FROM rate_limits WHERE key = $1 AND reset_at > $2`,
      [key, now],
    );
    return rows[0] ? toCount(rows[0]) : null;
  }

  async reset(key: string): Promise<void> {
    await sql(this.manager, `DELETE FROM rate_limits WHERE key = $1`, [key]);
  }

  /** Drops counters whose window ended before `now` (housekeeping; they count as zero anyway). */
  async deleteExpired(now: Date): Promise<number> {
    const { affected } = await sql(this.manager, `DELETE FROM rate_limits WHERE reset_at <= $1`, [now]);
    return affected;
  }
}

function toCount(row: CounterRow): RateLimitCount {
  return { count: Number(row.count), resetAt: row.reset_at, lastAt: row.last_at };
}
