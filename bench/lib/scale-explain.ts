/**
 * EXPLAIN (ANALYZE, BUFFERS) of every query on the hot paths and of retention's deletes, as the
 * repositories send them, with whether an index serves each one. Writes run inside a transaction
 * that is rolled back, so explaining changes nothing.
 */
import { Client } from "pg";
import { RETENTION_SQL } from "../../src/infrastructure/persistence/typeorm/repositories/typeorm-retention-store";

export interface ExplainInput {
  readonly sessionId: string;
  readonly userId: string;
  readonly email: string;
  readonly busyUserId: string;
}

export interface Explained {
  readonly name: string;
  readonly indexes: string[];
  readonly seqScan: boolean;
  readonly ms: number;
  readonly plan: string;
}

const LIVE_SESSIONS = `user_id = $1 AND revoked_at IS NULL AND rotated_at IS NULL AND expires_at > now()`;

function queries(input: ExplainInput): Array<{ name: string; sql: string; params: unknown[] }> {
  return [
    { name: "session check: session by id", sql: `SELECT * FROM sessions WHERE id = $1`, params: [input.sessionId] },
    { name: "session check: user by id", sql: `SELECT * FROM users WHERE id = $1`, params: [input.userId] },
    { name: "session check: touch last_seen_at", sql: `UPDATE sessions SET last_seen_at = now() WHERE id = $1 AND last_seen_at < now()`, params: [input.sessionId] },
    { name: "sign-in: user by e-mail", sql: `SELECT * FROM users WHERE email = $1`, params: [input.email] },
    {
      name: "sign-in: end live sessions beyond the newest 50",
      sql: `UPDATE sessions SET revoked_at = now() WHERE id = ANY(ARRAY(SELECT id FROM sessions WHERE ${LIVE_SESSIONS} ORDER BY created_at DESC, id ASC OFFSET 50)) RETURNING id`,
      params: [input.busyUserId],
    },
    {
      name: "sign-in: rate-limit counter upsert",
      sql: `INSERT INTO rate_limits AS r (key, count, reset_at, last_at) VALUES ($1, 1, now() + interval '15 minutes', now())
            ON CONFLICT (key) DO UPDATE SET count = r.count + 1, last_at = now() RETURNING count`,
      params: ["sign-in:ip:198.51.100.7"],
    },
    {
      name: "sessions list (busy user)",
      sql: `SELECT * FROM sessions WHERE ${LIVE_SESSIONS} ORDER BY created_at DESC, id ASC LIMIT 50`,
      params: [input.busyUserId],
    },
    {
      name: "security activity (busy user)",
      sql: `SELECT * FROM auth_events WHERE user_id = $1 ORDER BY at DESC, seq DESC LIMIT 20`,
      params: [input.busyUserId],
    },
    // Exactly the statements the retention store sends, with the cutoff of a pass started now.
    ...(
      [
        ["retention: expired sessions", "sessions.expired"],
        ["retention: revoked sessions", "sessions.revoked"],
        ["retention: old auth events (90 days)", "authEvents.old"],
        ["retention: ended rate-limit windows", "rateLimits.expired"],
        ["retention: sent mail", "outbox.sent"],
        ["retention: expired verification tokens", "verificationTokens.expired"],
        ["retention: spent verification tokens", "verificationTokens.spent"],
      ] as const
    ).map(([name, rule]) => ({
      name,
      sql: RETENTION_SQL[rule],
      params: [rule === "authEvents.old" ? new Date(Date.now() - 90 * 86_400_000) : new Date(), 1000],
    })),
  ];
}

export async function explainHotPaths(url: string, input: ExplainInput): Promise<Explained[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const results: Explained[] = [];
  try {
    for (const query of queries(input)) {
      await client.query("BEGIN");
      try {
        const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${query.sql}`, query.params);
        const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
        const scans = [...plan.matchAll(/(?:Index|Index Only|Bitmap Index) Scan(?: Backward)? (?:using|on) (\S+)/g)].map((m) => m[1]!);
        const arbiters = [...plan.matchAll(/Conflict Arbiter Indexes: (\S+)/g)].map((m) => `${m[1]!} (ON CONFLICT)`);
        const indexes = [...new Set([...scans, ...arbiters])];
        const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
        results.push({ name: query.name, indexes, seqScan: /Seq Scan/.test(plan), ms, plan });
      } finally {
        await client.query("ROLLBACK");
      }
    }
  } finally {
    await client.end();
  }
  return results;
}
