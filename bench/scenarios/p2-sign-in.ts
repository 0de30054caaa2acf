import * as argon2 from "argon2";
import { ARGON2, jsonHeaders, PASSWORD, signUp, type Instance } from "../lib/app";
import type { BenchContext, Section } from "../lib/context";
import { load } from "../lib/load";
import { fmt, fmtRatio, median, ratio, table } from "../lib/stats";

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly env: Record<string, string>;
}

const VARIANTS: readonly Variant[] = [
  { key: "default", label: "hashing limit: default (cores − 1, queue 2×)", env: {} },
  { key: "cores", label: "hashing limit: 2 at once, queue 4", env: { PASSWORD_HASH_CONCURRENCY: "2", PASSWORD_HASH_QUEUE: "4" } },
  { key: "unbounded", label: "no effective limit (1024 / 1024)", env: { PASSWORD_HASH_CONCURRENCY: "1024", PASSWORD_HASH_QUEUE: "1024" } },
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
  const raw: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    raw.push(await rawVerifies(concurrency, duration));
    ctx.log(`P2 round ${round}/${rounds} raw argon2 ×${concurrency}: ${fmt(raw.at(-1)!)} verifies/s`);
    for (const { variant, instance, body } of targets) {
      const result = await load({ url: `${instance.url}/api/auth/sign-in`, method: "POST", connections: concurrency, duration, headers: jsonHeaders(instance), body });
      const seconds = result.duration;
      const overloaded = (result.statuses["503"] ?? 0) / seconds;
      const entry = { ok: result.okPerSecond, overloaded, other: result.rps - result.okPerSecond - overloaded, p50: result.p50, p99: result.p99 };
      (runs[variant.key] ??= []).push(entry);
      ctx.log(`P2 round ${round}/${rounds} ${variant.key}: ${fmt(entry.ok)} sign-ins/s, ${fmt(entry.overloaded)} 503/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
    }
  }
  const rawMedian = median(raw);
  const rows = VARIANTS.map((variant) => {
    const list = runs[variant.key]!;
    const ok = median(list.map((r) => r.ok));
    return [
      variant.label,
      fmt(ok),
      fmt(median(list.map((r) => r.overloaded))),
      fmt(median(list.map((r) => r.p50))),
      fmt(median(list.map((r) => r.p99))),
      fmt(rawMedian),
      fmtRatio(ratio(ok, rawMedian)),
    ];
  });
  const text = [
    table(["server", "sign-ins/s (200)", "503/s", "p50 ms", "p99 ms", `raw verifies/s ×${concurrency}`, "ratio"], rows),
    "",
    `argon2id m=${ARGON2.memoryKiB} KiB, t=${ARGON2.timeCost}, p=${ARGON2.parallelism}; ${concurrency} concurrent sign-ins of one account, rate limits off;` +
      ` raw verifies in the bench process with the same concurrency. Medians of ${rounds} rounds of ${duration} s.`,
  ].join("\n");
  return { id: "P2", title: "P2 — sign-ins per second vs raw argon2id", text, data: { raw, runs } };
}
