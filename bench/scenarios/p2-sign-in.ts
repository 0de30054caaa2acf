import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import * as argon2 from "argon2";
import { ARGON2, jsonHeaders, PASSWORD, signUp, type Instance } from "../lib/app";
import type { BenchContext, Section } from "../lib/context";
import { load } from "../lib/load";
import { fmt, fmtRatio, median, ratio, table, rotated } from "../lib/stats";

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly env: Record<string, string>;
  /** How many hashes the server runs at once (null: as many as clients send). */
  readonly hashing: number | null;
}

const VARIANTS: readonly Variant[] = [
  { key: "default", label: "hashing limit: default (cores at once, cores − 1 while busy, queue 8 × cores)", env: {}, hashing: availableParallelism() },
  { key: "fixed1", label: "hashing limit: 1 at once, queue 2 (the earlier default)", env: { PASSWORD_HASH_CONCURRENCY: "1", PASSWORD_HASH_QUEUE: "2" }, hashing: 1 },
  { key: "cores", label: "hashing limit: 2 at once, queue 4", env: { PASSWORD_HASH_CONCURRENCY: "2", PASSWORD_HASH_QUEUE: "4" }, hashing: 2 },
  { key: "unbounded", label: "no effective limit (1024 / 1024)", env: { PASSWORD_HASH_CONCURRENCY: "1024", PASSWORD_HASH_QUEUE: "1024" }, hashing: null },
];

/** argon2id verifies per second in this process, `concurrency` at a time, for `seconds`. */
export async function rawVerifies(concurrency: number, seconds: number): Promise<number> {
  const hash = await argon2.hash(PASSWORD, {
    type: argon2.argon2id,
    memoryCost: ARGON2.memoryKiB,
    timeCost: ARGON2.timeCost,
    parallelism: ARGON2.parallelism,
  });
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      await argon2.verify(hash, PASSWORD);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - started) / 1000);
}

/**
 * The SignIn use case called in this process (no HTTP, no Next.js) on the product booted as the
 * server boots it, same database and parameters: `concurrency` sign-ins at a time for `seconds`.
 * Splits the gap to raw argon2 into what our own code costs and what serving HTTP costs.
 */
async function inProcessSignIns(databaseUrl: string, concurrency: number, seconds: number): Promise<number> {
  const { loadConfig } = await import("../../src/infrastructure/config");
  const { boot, TOKENS } = await import("../../src/infrastructure/di");
  const config = loadConfig({
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    APP_URL: "http://127.0.0.1:3000",
    AUTH_JWT_SECRET: randomBytes(32).toString("base64url"),
    SMTP_URL: "smtp://127.0.0.1:9",
    MAIL_FROM: "bench@localhost",
    RATE_LIMIT_SCALE: "0",
    ARGON2_MEMORY_KIB: String(ARGON2.memoryKiB),
    ARGON2_TIME_COST: String(ARGON2.timeCost),
    ARGON2_PARALLELISM: String(ARGON2.parallelism),
  });
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const auth = await boot({ config, dispatchMail: false, log: quiet });
  try {
    const email = `bench.inproc.${randomBytes(4).toString("hex")}@example.com`;
    const context = { ip: "127.0.0.1", userAgent: "bench" };
    const signedUp = await auth.resolve(TOKENS.SignUp).execute({ email, password: PASSWORD, context });
    if (!signedUp.ok) throw new Error(`in-process sign-up failed: ${signedUp.error.code}`);
    const signIn = auth.resolve(TOKENS.SignIn);
    const end = performance.now() + seconds * 1000;
    let done = 0;
    const worker = async () => {
      while (performance.now() < end) {
        const result = await signIn.execute({ email, password: PASSWORD, context }).catch(() => null);
        if (result?.ok) done++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    return done / ((performance.now() - started) / 1000);
  } finally {
    await auth.shutdown();
  }
}

/**
 * P2: successful sign-ins per second against raw argon2id verifies per second at the same parameters
 * and the same concurrency, measured side by side in each round. The raw figure is the ceiling: a
 * sign-in is one verify plus a session insert, an event and the HTTP work around it.
 */
export async function signInThroughput(ctx: BenchContext): Promise<Section> {
  const { rounds, duration, signInConnections: concurrency } = ctx.options;
  const build = await ctx.build("full");
  const targets: Array<{ variant: Variant; instance: Instance; body: string }> = [];
  for (const variant of VARIANTS) {
    const instance = await ctx.start({ name: `p2-${variant.key}`, build, env: variant.env });
    const { email } = await signUp(instance);
    targets.push({ variant, instance, body: JSON.stringify({ email, password: PASSWORD }) });
  }
  const runs: Record<string, Array<{ ok: number; overloaded: number; other: number; p50: number; p99: number; cpuMsPerSignIn: number }>> = {};
  const levels = [...new Set([concurrency, ...VARIANTS.map((v) => v.hashing ?? concurrency)])].sort((a, b) => a - b);
  const raw = new Map<number, number[]>(levels.map((level) => [level, []]));
  const inProcess: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    inProcess.push(await inProcessSignIns(ctx.database.url, concurrency, duration));
    ctx.log(`P2 round ${round}/${rounds} SignIn use case in process ×${concurrency}: ${fmt(inProcess.at(-1)!)} sign-ins/s`);
    for (const level of levels) {
      raw.get(level)!.push(await rawVerifies(level, duration));
      ctx.log(`P2 round ${round}/${rounds} raw argon2 ×${level}: ${fmt(raw.get(level)!.at(-1)!)} verifies/s`);
    }
    for (const { variant, instance, body } of rotated(targets, round)) {
      const cpuBefore = instance.cpuMs();
      const result = await load({ url: `${instance.url}/api/auth/sign-in`, method: "POST", connections: concurrency, duration, headers: jsonHeaders(instance), body });
      const seconds = result.duration;
      const overloaded = (result.statuses["503"] ?? 0) / seconds;
      // All of the server's CPU (hash included, refusals included) per successful sign-in.
      const cpuMsPerSignIn = (instance.cpuMs() - cpuBefore) / Math.max(1, result.okPerSecond * seconds);
      const entry = { ok: result.okPerSecond, overloaded, other: result.rps - result.okPerSecond - overloaded, p50: result.p50, p99: result.p99, cpuMsPerSignIn };
      (runs[variant.key] ??= []).push(entry);
      ctx.log(
        `P2 round ${round}/${rounds} ${variant.key}: ${fmt(entry.ok)} sign-ins/s, ${fmt(entry.overloaded)} 503/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
          `server CPU ${fmt(cpuMsPerSignIn)} ms/sign-in`,
      );
    }
  }
  const rawAt = (level: number) => median(raw.get(level)!);
  const rows = VARIANTS.map((variant) => {
    const list = runs[variant.key]!;
    const ok = median(list.map((r) => r.ok));
    const own = variant.hashing ?? concurrency;
    return [
      variant.label,
      fmt(ok),
      fmt(median(list.map((r) => r.overloaded))),
      fmt(median(list.map((r) => r.p50))),
      fmt(median(list.map((r) => r.p99))),
      fmtRatio(ratio(ok, rawAt(concurrency))),
      `${fmtRatio(ratio(ok, rawAt(own)))} (×${own})`,
      fmt(median(list.map((r) => r.cpuMsPerSignIn))),
    ];
  });
  rows.push([
    `SignIn use case in process, no HTTP (default limit)`,
    fmt(median(inProcess)),
    "–",
    "–",
    "–",
    fmtRatio(ratio(median(inProcess), rawAt(concurrency))),
    "",
    "",
  ]);
  const text = [
    table(["server", "sign-ins/s (200)", "503/s", "p50 ms", "p99 ms", `vs raw ×${concurrency}`, "vs raw at its own hashing concurrency", "server CPU ms per sign-in"], rows),
    "",
    `Raw argon2id verifies/s in one process: ${levels.map((level) => `×${level} ${fmt(rawAt(level))}`).join(", ")}` +
      ` (one verify alone ≈ ${fmt(1000 / rawAt(1))} ms of CPU).`,
    `Goal (default limit ≥ 0.90× raw ×${concurrency}): ${fmtRatio(ratio(median(runs["default"]!.map((r) => r.ok)), rawAt(concurrency)))}.`,
    `argon2id m=${ARGON2.memoryKiB} KiB, t=${ARGON2.timeCost}, p=${ARGON2.parallelism}; ${concurrency} concurrent sign-ins of one account (a 503 is retried at once), rate limits off.` +
      ` Medians of ${rounds} rounds of ${duration} s.`,
  ].join("\n");
  return { id: "P2", title: "P2 — sign-ins per second vs raw argon2id", text, data: { raw: Object.fromEntries(raw), runs, inProcess } };
}
