/**
 * `npm run bench`: builds the app, starts `next start` instances on a fresh PostgreSQL database and
 * prints every figure with its ratios (medians of several rounds, variants side by side in one run).
 * Nothing here is asserted: on a shared 2-core machine only ratios within one run mean much.
 *
 *   npm run bench                       P1–P6 and P8, 3 rounds of 10 s (P5 runs the whole test suite 3 times: slow)
 *   npm run bench -- --only=P1,P3       some of them
 *   npm run bench -- --rounds=5 --duration=15
 *   npm run bench -- --quick            3 rounds of 3 s, for a smoke run
 *   npm run bench -- --skip-p5          P1–P4, P6 and P8, without timing the test suites
 *   npm run bench -- --p5-rounds=1      P5 with one run of the whole suite instead of 3
 *   npm run bench -- --scale            an empty database against 1M users, 3M sessions, 10M events (see scenarios/scale.ts)
 *
 * Environment: BENCH_DATABASE_URL (or TEST_DATABASE_URL) names the PostgreSQL server; REDIS_URL
 * (default redis://127.0.0.1:6379) adds the Redis variant of P3 when it answers.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import Redis from "ioredis";
import {
  ensureBuild,
  freshDatabase,
  removeVariantCopies,
  ROOT,
  startInstance,
  startSmtpSink,
  type Build,
  type BuildVariant,
  type Instance,
} from "./lib/app";
import type { BenchContext, BenchOptions, Section } from "./lib/context";
import { sessionCheckCost } from "./scenarios/p1-session-check";
import { signInThroughput } from "./scenarios/p2-sign-in";
import { revocationPropagation } from "./scenarios/p3-propagation";
import { floodImpact } from "./scenarios/p4-flood";
import { testSuiteTime } from "./scenarios/p5-tests";
import { bearerCheckCost } from "./scenarios/p6-bearer";
import { publicPageSpeed } from "./scenarios/p8-public-page";
import { scaleRun } from "./scenarios/scale";

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<Section>> = {
  P1: sessionCheckCost,
  P2: signInThroughput,
  P3: revocationPropagation,
  P4: floodImpact,
  P5: testSuiteTime,
  P6: bearerCheckCost,
  P8: publicPageSpeed,
};

function parseArgs(argv: readonly string[]): { only: string[]; scale: boolean; flags: Map<string, string>; options: Omit<BenchOptions, "redisUrl"> } {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg}`);
    flags.set(match[1]!, match[2] ?? "true");
  }
  const quick = flags.has("quick");
  const number = (name: string, fallback: number) => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
    return value;
  };
  const only = (flags.get("only") ?? (flags.has("skip-p5") ? "P1,P2,P3,P4,P6,P8" : "P1,P2,P3,P4,P5,P6,P8"))
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  for (const id of only) if (!SCENARIOS[id]) throw new Error(`unknown scenario ${id}`);
  return {
    only,
    scale: flags.has("scale"),
    flags,
    options: {
      rounds: Math.max(3, Math.round(number("rounds", 3))),
      duration: number("duration", quick ? 3 : 10),
      connections: Math.round(number("connections", 8)),
      signInConnections: Math.round(number("sign-in-connections", 8)),
      floodConnections: Math.round(number("flood-connections", 32)),
      floodRate: Math.round(number("flood-rate", 300)),
      propagationSamples: Math.round(number("samples", quick ? 10 : 30)),
      p5Rounds: Math.round(number("p5-rounds", quick ? 1 : 3)),
    },
  };
}

async function reachableRedis(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function machine(): string {
  const list = cpus();
  return `${list.length} × ${list[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free), Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`;
}

async function main(): Promise<void> {
  const { only, scale, flags, options: partial } = parseArgs(process.argv.slice(2));
  if (scale) return runScale(flags);
  const redisCandidate = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const options: BenchOptions = { ...partial, redisUrl: (await reachableRedis(redisCandidate)) ? redisCandidate : null };
  const started = new Date();
  const log = (line: string) => console.log(`[bench ${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const before = machine();
  log(`machine: ${before}`);
  log(`scenarios ${only.join(", ")}; ${options.rounds} rounds of ${options.duration} s`);

  const running = new Set<Instance>();
  const stopAll = async () => {
    await Promise.all([...running].map((instance) => instance.stop().catch(() => undefined)));
    running.clear();
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log("interrupted: stopping instances…");
    void stopAll().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const needsApp = only.some((id) => id !== "P5");
  const database = needsApp ? await freshDatabase() : null;
  const smtp = needsApp ? await startSmtpSink() : null;
  const builds = new Map<BuildVariant, Promise<Build>>();
  const sections: Section[] = [];
  try {
    for (const id of only) {
      const ctx: BenchContext = {
        options,
        database: database ?? { url: "", drop: async () => undefined },
        smtpUrl: smtp?.url ?? "",
        log,
        build: (variant) => {
          if (!builds.has(variant)) builds.set(variant, ensureBuild(variant, log));
          return builds.get(variant)!;
        },
        start: async (instanceOptions) => {
          const instance = await startInstance({ ...instanceOptions, databaseUrl: database!.url, smtpUrl: smtp!.url });
          running.add(instance);
          return instance;
        },
      };
      log(`${id}: starting`);
      const section = await SCENARIOS[id]!(ctx);
      sections.push(section);
      // Each scenario gets the machine to itself.
      await stopAll();
      console.log(`\n## ${section.title}\n\n${section.text}\n`);
    }
  } finally {
    await stopAll();
    await smtp?.stop();
    await database?.drop().catch((error) => log(`could not drop the bench database: ${error}`));
    removeVariantCopies();
  }

  const after = machine();
  const report = [
    `# Benchmark run ${started.toISOString()}`,
    "",
    `Machine before: ${before}`,
    `Machine after:  ${after}`,
    "",
    ...sections.map((s) => `## ${s.title}\n\n${s.text}\n`),
  ].join("\n");
  console.log(`\n${"=".repeat(100)}\n${report}`);
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, "-");
  writeFileSync(join(dir, `${stamp}.md`), report);
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify({ started, options, machine: { before, after }, sections }, null, 2));
  log(`written bench/results/${stamp}.md and .json`);
}

/** `--scale`: its own run, on two databases of its own; the flags size it (see bench/README.md). */
async function runScale(flags: Map<string, string>): Promise<void> {
  const started = new Date();
  const log = (line: string) => console.log(`[bench ${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const int = (name: string, fallback: number) => {
    const value = Number(flags.get(name) ?? fallback);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number`);
    return value;
  };
  const quick = flags.has("quick");
  const before = machine();
  log(`machine: ${before}`);
  const section = await scaleRun(
    {
      users: int("scale-users", quick ? 10_000 : 1_000_000),
      sessions: int("scale-sessions", quick ? 30_000 : 3_000_000),
      events: int("scale-events", quick ? 100_000 : 10_000_000),
      rounds: Math.max(1, int("rounds", quick ? 1 : 3)),
      duration: int("duration", quick ? 2 : 5),
      concurrency: int("connections", 8),
      retentionSeconds: int("retention-seconds", 300),
    },
    log,
  );
  const after = machine();
  const report = [`# Scale benchmark run ${started.toISOString()}`, "", `Machine before: ${before}`, `Machine after:  ${after}`, "", `## ${section.title}`, "", section.text, ""].join("\n");
  console.log(`\n${"=".repeat(100)}\n${report}`);
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const stamp = `scale-${started.toISOString().replace(/[:.]/g, "-")}`;
  writeFileSync(join(dir, `${stamp}.md`), report);
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify({ started, machine: { before, after }, section }, null, 2));
  log(`written bench/results/${stamp}.md and .json`);
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
