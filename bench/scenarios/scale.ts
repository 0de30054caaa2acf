/**
 * `npm run bench -- --scale`: the same product on an empty database and on one filled with 1,000,000
 * users, 3,000,000 sessions (two thirds expired, a tenth revoked) and 10,000,000 security events,
 * measured side by side in one run: the session check (P1, session cache off so every check reads the
 * database), sign-in (P2), a busy user's sessions list and security activity, and one retention pass
 * (rows/s, and the session check's p99 while it runs). Use cases are called in this process on the
 * product booted as the server boots it: what the size of the database changes is the database work,
 * and HTTP would only add the same cost to both sides.
 */
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as argon2 from "argon2";
import { Client } from "pg";
import { ARGON2, freshDatabase, PASSWORD, type Database } from "../lib/app";
import type { Section } from "../lib/context";
import { fillScale, tableSizes, type ScaleSize } from "../lib/scale-fill";
import { explainHotPaths, type Explained } from "../lib/scale-explain";
import { fmt, fmtRatio, median, percentile, ratio, rotated, table } from "../lib/stats";

export interface ScaleOptions extends ScaleSize {
  readonly rounds: number;
  readonly duration: number;
  readonly concurrency: number;
  /** A retention pass is stopped (after its batch) once it has run this long. */
  readonly retentionSeconds: number;
}

type Auth = Awaited<ReturnType<typeof import("../../src/infrastructure/di").boot>>;
interface Target {
  readonly name: string;
  readonly database: Database;
  readonly auth: Auth;
  readonly checkToken: string;
  readonly checkSessionId: string;
  readonly checkUserId: string;
  readonly signInEmail: string;
  readonly busyUserId: string;
}
interface Run {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
}

const CONTEXT = { ip: "198.51.100.7", userAgent: "scale bench" };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** `concurrency` callers in a closed loop for `seconds`; every call must succeed. */
async function closedLoop(op: () => Promise<{ ok: boolean }>, concurrency: number, seconds: number, until?: () => boolean): Promise<Run> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (until ? !until() : performance.now() < end) {
      const t = performance.now();
      const result = await op();
      if (!result.ok) throw new Error("a measured call failed");
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length };
}

async function bootOn(url: string): Promise<Auth> {
  const { loadConfig } = await import("../../src/infrastructure/config");
  const { boot } = await import("../../src/infrastructure/di");
  const config = loadConfig({
    DATABASE_URL: url,
    APP_URL: "http://127.0.0.1:3000",
    AUTH_JWT_SECRET: randomBytes(32).toString("base64url"),
    DATA_DIR: mkdtempSync(join(tmpdir(), "scale-bench-")),
    RATE_LIMIT_SCALE: "0",
    ARGON2_MEMORY_KIB: String(ARGON2.memoryKiB),
    ARGON2_TIME_COST: String(ARGON2.timeCost),
    ARGON2_PARALLELISM: String(ARGON2.parallelism),
    // The retention knobs as the product reads them, to compare settings: RETENTION_BATCH_SIZE=100 npm run bench -- --scale
    ...Object.fromEntries(["RETENTION_BATCH_SIZE", "RETENTION_PAUSE_RATIO"].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : []))),
  });
  return boot({ config, dispatchMail: false, runRetention: false, log: quiet });
}

/** The same people on both databases: a checker (P1), a signer (P2) and a busy user with a long history. */
async function prepare(name: string, database: Database): Promise<Target> {
  const { TOKENS } = await import("../../src/infrastructure/di");
  const auth = await bootOn(database.url);
  const signUp = auth.resolve(TOKENS.SignUp);
  const signIn = auth.resolve(TOKENS.SignIn);
  const must = async <T>(result: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>): Promise<T> => {
    const r = await result;
    if (!r.ok) throw new Error(`scale bench setup on ${name}: ${r.error.code}`);
    return r.value;
  };
  const checker = await must(signUp.execute({ email: "checker@bench.example", password: PASSWORD, context: CONTEXT }));
  await must(signUp.execute({ email: "signer@bench.example", password: PASSWORD, context: CONTEXT }));
  const busy = await must(signUp.execute({ email: "busy@bench.example", password: PASSWORD, context: CONTEXT }));
  for (let i = 0; i < 49; i++) await must(signIn.execute({ email: "busy@bench.example", password: PASSWORD, context: CONTEXT }));
  // Two years of history: 2,000 sessions long expired, 10,000 events over 100 days.
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO sessions (id, user_id, created_at, authenticated_at, last_authenticated_at, auth_methods, last_seen_at, expires_at, user_agent, ip)
       SELECT 'busy-s' || g, $1, t, t, t, 'password', t, t + interval '30 days', 'old phone', '198.51.100.8'
       FROM generate_series(1, 2000) g CROSS JOIN LATERAL (SELECT now() - interval '60 days' - g * interval '5 minutes' AS t) x`,
      [busy.user.id],
    );
    await client.query(
      `INSERT INTO auth_events (id, type, user_id, at, ip, user_agent, detail)
       SELECT 'busy-e' || g, 'sign-in.succeeded', $1, now() - interval '1 hour' - g * interval '864 seconds', '198.51.100.8', 'old phone', '{}'::jsonb
       FROM generate_series(1, 10000) g`,
      [busy.user.id],
    );
    await client.query(`ANALYZE sessions; ANALYZE auth_events`);
  } finally {
    await client.end();
  }
  return {
    name,
    database,
    auth,
    checkToken: checker.token,
    checkSessionId: checker.session.id,
    checkUserId: checker.user.id,
    signInEmail: "signer@bench.example",
    busyUserId: busy.user.id,
  };
}

export async function scaleRun(options: ScaleOptions, log: (line: string) => void): Promise<Section> {
  const { TOKENS } = await import("../../src/infrastructure/di");
  // Every session check reads the database: the cache would hide exactly what this measures.
  process.env.SESSION_CACHE_TTL_MS = "0";
  const databases: Database[] = [];
  const targets: Target[] = [];
  try {
    const empty = await freshDatabase();
    databases.push(empty);
    const big = await freshDatabase();
    databases.push(big);
    const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, ...ARGON2 });
    const fillStarted = performance.now();
    log(`scale: filling ${options.users.toLocaleString("en")} users, ${options.sessions.toLocaleString("en")} sessions, ${options.events.toLocaleString("en")} events (load average ${loadavg()[0]!.toFixed(2)})`);
    await fillScale(big.url, options, hash, log);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    const sizesBefore = await tableSizes(big.url);
    log(`scale: filled in ${fillSeconds.toFixed(0)} s: ${JSON.stringify(sizesBefore)}`);
    targets.push(await prepare("empty", empty), await prepare("1M users", big));

    const ops: Record<string, { concurrency: number; run: (t: Target) => () => Promise<{ ok: boolean }> }> = {
      "P1 session check (cache off)": {
        concurrency: options.concurrency,
        run: (t) => {
          const check = t.auth.resolve(TOKENS.AuthenticateSession);
          return () => check.execute({ token: t.checkToken, context: CONTEXT });
        },
      },
      "P2 sign-in (argon2id)": {
        concurrency: 2,
        run: (t) => {
          const signIn = t.auth.resolve(TOKENS.SignIn);
          return () => signIn.execute({ email: t.signInEmail, password: PASSWORD, context: CONTEXT });
        },
      },
      "sessions list, busy user": {
        concurrency: options.concurrency,
        run: (t) => {
          const list = t.auth.resolve(TOKENS.ListSessions);
          return () => list.execute({ userId: t.busyUserId, currentSessionId: null });
        },
      },
      "security activity, busy user": {
        concurrency: options.concurrency,
        run: (t) => {
          const list = t.auth.resolve(TOKENS.ListAuthEvents);
          return () => list.execute({ userId: t.busyUserId });
        },
      },
    };
    const runs: Record<string, Record<string, Run[]>> = {};
    for (let round = 0; round < options.rounds; round++) {
      for (const [op, spec] of Object.entries(ops)) {
        for (const target of rotated(targets, round)) {
          const run = await closedLoop(spec.run(target), spec.concurrency, options.duration);
          ((runs[op] ??= {})[target.name] ??= []).push(run);
          log(`scale round ${round + 1}/${options.rounds} ${op} on ${target.name}: ${fmt(run.perSecond)}/s, p50 ${fmt(run.p50, 2)} ms, p99 ${fmt(run.p99, 2)} ms`);
        }
      }
    }

    const explained: Record<string, Explained[]> = {};
    for (const target of targets) {
      explained[target.name] = await explainHotPaths(target.database.url, {
        sessionId: target.checkSessionId,
        userId: target.checkUserId,
        email: target.signInEmail,
        busyUserId: target.busyUserId,
      });
    }

    // Retention: the pass on each database while the session check runs beside it.
    const retention: Record<string, { rows: number; seconds: number; complete: boolean; during: Run; deleted: Record<string, number> }> = {};
    for (const target of targets) {
      const pass = target.auth.resolve(TOKENS.RetentionPass);
      const signal = { aborted: false };
      const timer = setTimeout(() => (signal.aborted = true), options.retentionSeconds * 1000);
      let finished = false;
      const started = performance.now();
      const passDone = pass.execute({ signal }).finally(() => {
        finished = true;
        clearTimeout(timer);
      });
      const check = ops["P1 session check (cache off)"]!;
      const during = await closedLoop(check.run(target), check.concurrency, 0, () => finished);
      const result = await passDone;
      const seconds = (performance.now() - started) / 1000;
      if (!result.ok || !result.value.ran) throw new Error(`retention pass on ${target.name} did not run`);
      retention[target.name] = { rows: result.value.total, seconds, complete: !signal.aborted, during, deleted: { ...result.value.deleted } };
      log(`scale retention on ${target.name}: ${result.value.total} rows in ${seconds.toFixed(1)} s (${signal.aborted ? "stopped at the time cap" : "complete"}); check p99 meanwhile ${fmt(during.p99, 2)} ms`);
    }
    const sizesAfter = await tableSizes(big.url);
    return report(options, runs, explained, retention, { fillSeconds, sizesBefore, sizesAfter });
  } finally {
    for (const target of targets) await target.auth.shutdown().catch(() => undefined);
    for (const database of databases) await database.drop().catch((error) => log(`could not drop ${database.url}: ${error}`));
  }
}

function report(
  options: ScaleOptions,
  runs: Record<string, Record<string, Run[]>>,
  explained: Record<string, Explained[]>,
  retention: Record<string, { rows: number; seconds: number; complete: boolean; during: Run; deleted: Record<string, number> }>,
  fill: { fillSeconds: number; sizesBefore: Record<string, { rows: number; size: string }>; sizesAfter: Record<string, { rows: number; size: string }> },
): Section {
  const med = (list: Run[] | undefined, key: keyof Run) => median((list ?? []).map((r) => r[key]));
  const rows: string[][] = [];
  for (const [op, byTarget] of Object.entries(runs)) {
    const [e, b] = [byTarget["empty"], byTarget["1M users"]];
    const rate = ratio(med(b, "perSecond"), med(e, "perSecond"));
    const p99 = ratio(med(b, "p99"), med(e, "p99"));
    rows.push([op, fmt(med(e, "perSecond")), fmt(med(b, "perSecond")), fmtRatio(rate), `${fmt(med(e, "p50"), 2)} / ${fmt(med(e, "p99"), 2)}`, `${fmt(med(b, "p50"), 2)} / ${fmt(med(b, "p99"), 2)}`, fmtRatio(p99), rate >= 0.9 && p99 <= 1.1 ? "met" : "not met"]);
  }
  const restP99 = med(runs["P1 session check (cache off)"]?.["1M users"], "p99");
  const restP99Empty = med(runs["P1 session check (cache off)"]?.["empty"], "p99");
  const big = retention["1M users"]!;
  const retentionRows = Object.entries(retention).map(([name, r]) => [
    name, r.rows.toLocaleString("en"), fmt(r.seconds), fmt(r.rows / r.seconds, 0), r.complete ? "yes" : `no (${options.retentionSeconds} s cap)`, fmt(r.during.p99, 2),
  ]);
  const plans = explained["1M users"] ?? [];
  const explainRows = plans.map((p) => {
    const emptyMs = explained["empty"]?.find((e) => e.name === p.name)?.ms ?? NaN;
    return [p.name, p.indexes.join(", ") || "–", p.seqScan ? "yes" : "no", fmt(emptyMs, 3), fmt(p.ms, 3)];
  });
  const text = [
    `Databases: empty (migrated, the three bench users only) and filled with ${Object.entries(fill.sizesBefore).map(([t, s]) => `${t} ${s.rows.toLocaleString("en")} rows (${s.size})`).join(", ")}, in ${fill.fillSeconds.toFixed(0)} s of set-based SQL.`,
    "",
    table(["figure", "empty /s", "1M users /s", "rate ratio", "empty p50 / p99 ms", "1M users p50 / p99 ms", "p99 ratio", "goal (≥ 0.90×, p99 ≤ 1.10×)"], rows),
    "",
    `Medians of ${options.rounds} rounds of ${options.duration} s, ${options.concurrency} callers (sign-in: 2, one per core), databases interleaved in each round. Session cache off.`,
    "",
    table(["retention pass", "rows deleted", "seconds", "rows/s", "complete", "session check p99 meanwhile ms"], retentionRows),
    "",
    `Session check p99 during the pass on the filled database: ${fmt(big.during.p99, 2)} ms against ${fmt(restP99, 2)} ms at rest there (${fmtRatio(ratio(big.during.p99, restP99))}; goal ≤ 1.20×) and ${fmt(restP99Empty, 2)} ms on the empty one (${fmtRatio(ratio(big.during.p99, restP99Empty))}).`,
    `Deleted by rule: ${Object.entries(big.deleted).filter(([, n]) => n > 0).map(([rule, n]) => `${rule} ${n.toLocaleString("en")}`).join(", ")}.`,
    `After the pass: ${Object.entries(fill.sizesAfter).map(([t, s]) => `${t} ${s.rows.toLocaleString("en")} rows (${s.size})`).join(", ")}.`,
    "",
    table(["query (EXPLAIN ANALYZE on the filled database)", "index used", "seq scan", "empty ms", "1M users ms"], explainRows),
    "",
    "```",
    ...plans.map((p) => `-- ${p.name}\n${p.plan}`),
    "```",
  ].join("\n");
  return { id: "SCALE", title: "Scale: an empty database against 1M users, 3M sessions, 10M events", text, data: { runs, retention, explained, fill } };
}
