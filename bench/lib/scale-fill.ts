/**
 * Fills a migrated database with a large, realistic population in set-based SQL (generate_series),
 * never through the API: users, sessions (most of them expired or revoked) and security events spread
 * over the past 100 days. Secondary indexes are dropped for the load and built again afterwards (as a
 * restore would), then the tables are vacuumed and analysed so the planner sees their real size.
 */
import { Client } from "pg";

export interface ScaleSize {
  readonly users: number;
  readonly sessions: number;
  readonly events: number;
}

const CHUNK = 1_000_000;
const TABLES = ["users", "sessions", "auth_events"];

export async function fillScale(url: string, size: ScaleSize, passwordHash: string, log: (line: string) => void): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [TABLES],
    );
    for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);

    await chunks(size.users, "users", log, (from, to) =>
      client.query(
        `INSERT INTO users (id, email, email_skeleton, password_hash, email_verified_at, password_changed_at, created_at)
         SELECT 'scale-u' || g, 'user' || g || '@scale.example', 'user' || g || '@scale.example', $3, now() - interval '200 days', now() - interval '200 days', now() - interval '200 days'
         FROM generate_series($1::bigint, $2::bigint) g`,
        [from, to, passwordHash],
      ),
    );
    // Created over the past 90 days with the default 30-day lifetime: two thirds expired; one in ten revoked.
    // Rows go in in time order, as a live table fills (users scattered over them), so the heap is laid
    // out by time as in production; a scrambled order would make every batch of a retention pass read
    // a page per row, which no real table does.
    await chunks(size.sessions, "sessions", log, (from, to) =>
      client.query(
        `INSERT INTO sessions (id, user_id, created_at, authenticated_at, last_authenticated_at, auth_methods, last_seen_at, expires_at, revoked_at, user_agent, ip)
         SELECT 'scale-s' || g, 'scale-u' || (1 + (g * 7919) % $3), t, t, t, 'password', t + interval '1 hour', t + interval '30 days',
                CASE WHEN g % 10 = 0 THEN t + interval '2 hours' END, 'Mozilla/5.0 (scale bench)', '198.51.100.' || (g % 250)
         FROM generate_series($1::bigint, $2::bigint) g
         CROSS JOIN LATERAL (SELECT now() - interval '90 days' + (g * 7776000.0 / $4) * interval '1 second' AS t) x`,
        [from, to, size.users, size.sessions],
      ),
    );
    // Over the past 100 days: with 90 days of retention, a tenth are due for deletion.
    await chunks(size.events, "auth_events", log, (from, to) =>
      client.query(
        `INSERT INTO auth_events (id, type, user_id, at, ip, user_agent, detail)
         SELECT 'scale-e' || g, CASE WHEN g % 5 = 0 THEN 'sign-in.failed' ELSE 'sign-in.succeeded' END,
                'scale-u' || (1 + (g * 104729) % $3), now() - interval '100 days' + (g * 8640000.0 / $4) * interval '1 second',
                '198.51.100.' || (g % 250), 'Mozilla/5.0 (scale bench)', '{}'::jsonb
         FROM generate_series($1::bigint, $2::bigint) g`,
        [from, to, size.users, size.events],
      ),
    );

    for (const index of indexes) {
      const started = performance.now();
      await client.query(index.indexdef);
      log(`scale fill: index ${index.indexname} built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const started = performance.now();
    for (const table of TABLES) await client.query(`VACUUM ANALYZE ${table}`);
    log(`scale fill: VACUUM ANALYZE in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await client.end();
  }
}

async function chunks(total: number, table: string, log: (line: string) => void, insert: (from: number, to: number) => Promise<unknown>): Promise<void> {
  const started = performance.now();
  for (let from = 1; from <= total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK - 1);
    await insert(from, to);
    log(`scale fill: ${table} ${to.toLocaleString("en")} / ${total.toLocaleString("en")} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}

/** Table sizes as they are now, for the report. */
export async function tableSizes(url: string): Promise<Record<string, { rows: number; size: string }>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result: Record<string, { rows: number; size: string }> = {};
    for (const table of TABLES) {
      const { rows } = await client.query<{ n: string; size: string }>(
        `SELECT count(*) AS n, pg_size_pretty(pg_total_relation_size('${table}')) AS size FROM ${table}`,
      );
      result[table] = { rows: Number(rows[0]!.n), size: rows[0]!.size };
    }
    return result;
  } finally {
    await client.end();
  }
}
