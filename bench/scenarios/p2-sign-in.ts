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
  { key: "default", label: "hashing limit: default (1 at once on 2 cores, queue 2)", env: {}, hashing: Math.max(1, availableParallelism() - 1) },
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
  const runs: Record<string, Array<{ ok: number; overloaded: number; other: number; p50: number; p99: number }>> = {};
  const levels = [...new Set([concurrency, ...VARIANTS.map((v) => v.hashing ?? concurrency)])].sort((a, b) => a - b);
  const raw = new Map<number, number[]>(levels.map((level) => [level, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const level of levels) {
      raw.get(level)!.push(await rawVerifies(level, duration));
      ctx.log(`P2 round ${round}/${rounds} raw argon2 ×${level}: ${fmt(raw.get(level)!.at(-1)!)} verifies/s`);
    }
    for (const { variant, instance, body } of rotated(targets, round)) {
      const result = await load({ url: `${instance.url}/api/auth/sign-in`, method: "POST", connections: concurrency, duration, headers: jsonHeaders(instance), body });
      const seconds = result.duration;
      const overloaded = (result.statuses["503"] ?? 0) / seconds;
      const entry = { ok: result.okPerSecond, overloaded, other: result.rps - result.okPerSecond - overloaded, p50: result.p50, p99: result.p99 };
      (runs[variant.key] ??= []).push(entry);
      ctx.log(`P2 round ${round}/${rounds} ${variant.key}: ${fmt(entry.ok)} sign-ins/s, ${fmt(entry.overloaded)} 503/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
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
    ];
  });
  const text = [
    table(["server", "sign-ins/s (200)", "503/s", "p50 ms", "p99 ms", `vs raw ×${concurrency}`, "vs raw at its own hashing concurrency"], rows),
    "",
    `Raw argon2id verifies/s in one process: ${levels.map((level) => `×${level} ${fmt(rawAt(level))}`).join(", ")}.`,
    `argon2id m=${ARGON2.memoryKiB} KiB, t=${ARGON2.timeCost}, p=${ARGON2.parallelism}; ${concurrency} concurrent sign-ins of one account (a 503 is retried at once), rate limits off.` +
      ` Medians of ${rounds} rounds of ${duration} s.`,
  ].join("\n");
  return { id: "P2", title: "P2 — sign-ins per second vs raw argon2id", text, data: { raw: Object.fromEntries(raw), runs } };
}
