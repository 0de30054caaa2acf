import { get, post, signUp, type Instance } from "../lib/app";
import type { BenchContext, Section } from "../lib/context";
import { fmt, median, percentile, table, rotated } from "../lib/stats";

interface Pair {
  readonly key: string;
  readonly label: string;
  readonly a: Instance;
  readonly b: Instance;
}

/**
 * P3: from sign-out-all returning on instance A until instance B refuses the session. B has just
 * answered the same cookie (twice, so from its cache when there is one); the clock starts when A's
 * 204 arrives and stops when B first answers 401. Also counts B's answers still 200 in between.
 */
export async function revocationPropagation(ctx: BenchContext): Promise<Section> {
  const { rounds, propagationSamples } = ctx.options;
  const build = await ctx.build("full");
  const setups: Array<{ key: string; label: string; env: Record<string, string> }> = [
    { key: "pg", label: "cache on, PostgreSQL LISTEN/NOTIFY", env: {} },
    ...(ctx.options.redisUrl ? [{ key: "redis", label: "cache on, Redis pub/sub", env: { REDIS_URL: ctx.options.redisUrl } }] : []),
    { key: "nocache", label: "cache off (every check queries)", env: { SESSION_CACHE_TTL_MS: "0" } },
  ];
  if (!ctx.options.redisUrl) ctx.log("P3: Redis not reachable, its variant is left out");
  const pairs: Pair[] = [];
  for (const setup of setups) {
    const a = await ctx.start({ name: `p3-${setup.key}-a`, build, env: setup.env });
    const b = await ctx.start({ name: `p3-${setup.key}-b`, build, env: setup.env });
    // Boot both (database pool, bus subscription) before anything is timed.
    const { cookie } = await signUp(a);
    await get(b, "/api/auth/session", cookie);
    pairs.push({ key: setup.key, label: setup.label, a, b });
  }

  const samples: Record<string, { ms: number[]; acceptedAfter: number[]; writeMs: number[] }> = {};
  for (let round = 1; round <= rounds; round++) {
    for (const pair of rotated(pairs, round)) {
      const entry = (samples[pair.key] ??= { ms: [], acceptedAfter: [], writeMs: [] });
      const roundMs: number[] = [];
      for (let i = 0; i < propagationSamples; i++) {
        const { cookie } = await signUp(pair.a);
        for (let warm = 0; warm < 2; warm++) {
          const response = await get(pair.b, "/api/auth/session", cookie);
          if (response.status !== 200) throw new Error(`${pair.b.name} did not accept a fresh session: ${response.status}`);
        }
        const sent = performance.now();
        const revoked = await post(pair.a, "/api/auth/sign-out-all", cookie);
        if (revoked.status !== 204) throw new Error(`sign-out-all on ${pair.a.name}: ${revoked.status}`);
        const returned = performance.now();
        entry.writeMs.push(returned - sent);
        let accepted = 0;
        for (;;) {
          const status = (await get(pair.b, "/api/auth/session", cookie)).status;
          if (status === 401) break;
          if (status !== 200) throw new Error(`${pair.b.name} answered ${status}`);
          accepted++;
          if (performance.now() - returned > 10_000) throw new Error(`${pair.b.name} still accepts a revoked session after 10 s`);
        }
        const ms = performance.now() - returned;
        entry.ms.push(ms);
        roundMs.push(ms);
        entry.acceptedAfter.push(accepted);
      }
      ctx.log(`P3 round ${round}/${rounds} ${pair.key}: p50 ${fmt(percentile(roundMs, 50), 2)} ms, p99 ${fmt(percentile(roundMs, 99), 2)} ms`);
    }
  }
  const rows = pairs.map((pair) => {
    const { ms, acceptedAfter, writeMs } = samples[pair.key]!;
    return [
      pair.label,
      String(ms.length),
      fmt(percentile(ms, 50), 2),
      fmt(percentile(ms, 99), 2),
      fmt(Math.max(...ms), 2),
      String(acceptedAfter.reduce((s, n) => s + n, 0)),
      `${fmt(percentile(writeMs, 50), 1)} / ${fmt(percentile(writeMs, 99), 1)}`,
    ];
  });
  const text = [
    table(["two instances", "revocations", "p50 ms", "p99 ms", "max ms", "B still said 200", "sign-out-all on A p50 / p99 ms"], rows),
    "",
    `Time from A's 204 to B's first 401, one HTTP round trip to B included; "B still said 200" counts B's answers that still accepted the` +
      ` revoked cookie after A's 204. A's sign-out-all waits for the other instance's acknowledgement (bounded at 500 ms).` +
      ` ${rounds} rounds × ${propagationSamples} revocations per setup.` +
      ` Median of per-round p50s: ${pairs.map((p) => `${p.key} ${fmt(median(chunks(samples[p.key]!.ms, propagationSamples).map((c) => percentile(c, 50))), 2)} ms`).join(", ")}.`,
  ].join("\n");
  return { id: "P3", title: "P3 — revocation propagation between two instances", text, data: samples };
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
