import { get, signUp, type Instance } from "../lib/app";
import type { BenchContext, Section } from "../lib/context";
import { load, type LoadResult } from "../lib/load";
import { fmt, fmtRatio, median, ratio, table, rotated } from "../lib/stats";

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly path: "/dashboard" | "/api/auth/session";
  readonly build: "full" | "noop-proxy" | "no-proxy";
  readonly cache: boolean;
}

const VARIANTS: readonly Variant[] = [
  { key: "full", label: "/dashboard, full proxy check", path: "/dashboard", build: "full", cache: true },
  { key: "noop", label: "/dashboard, no-op proxy", path: "/dashboard", build: "noop-proxy", cache: true },
  { key: "none", label: "/dashboard, no proxy", path: "/dashboard", build: "no-proxy", cache: true },
  { key: "full-nocache", label: "/dashboard, full proxy check", path: "/dashboard", build: "full", cache: false },
  { key: "none-nocache", label: "/dashboard, no proxy", path: "/dashboard", build: "no-proxy", cache: false },
  { key: "api", label: "GET /api/auth/session", path: "/api/auth/session", build: "full", cache: true },
  { key: "api-nocache", label: "GET /api/auth/session", path: "/api/auth/session", build: "full", cache: false },
];

/**
 * P1: what the session check costs. The same signed-in page served with the proxy's full check,
 * with a proxy that does nothing, and with no proxy (the page checks the session itself in every
 * case), each with the session cache and without it; plus the JSON session read.
 */
export async function sessionCheckCost(ctx: BenchContext): Promise<Section> {
  const { rounds, duration, connections } = ctx.options;
  const instances = new Map<string, { instance: Instance; cookie: string }>();
  for (const cache of [true, false]) {
    for (const build of ["full", "noop-proxy", "no-proxy"] as const) {
      if (!VARIANTS.some((v) => v.build === build && v.cache === cache)) continue;
      const instance = await ctx.start({
        name: `p1-${build}-${cache ? "cache" : "nocache"}`,
        build: await ctx.build(build),
        env: cache ? {} : { SESSION_CACHE_TTL_MS: "0" },
      });
      const { cookie } = await signUp(instance);
      for (const path of ["/dashboard", "/api/auth/session"]) {
        const response = await get(instance, path, cookie);
        if (response.status !== 200) throw new Error(`${instance.name} ${path}: expected 200, got ${response.status}`);
      }
      // Warm-up: first requests load code and fill connection pools.
      await load({ url: `${instance.url}/dashboard`, connections, duration: 2, headers: { cookie: `session=${cookie}` } });
      instances.set(`${build}:${cache}`, { instance, cookie });
    }
  }

  const runs = new Map<string, LoadResult[]>(VARIANTS.map((v) => [v.key, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const variant of rotated(VARIANTS, round)) {
      const { instance, cookie } = instances.get(`${variant.build}:${variant.cache}`)!;
      const result = await load({ url: `${instance.url}${variant.path}`, connections, duration, headers: { cookie: `session=${cookie}`, accept: "text/html,application/json" } });
      runs.get(variant.key)!.push(result);
      ctx.log(`P1 round ${round}/${rounds} ${variant.key}: ${fmt(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${Math.round((result.rps - result.okPerSecond) * result.duration)}`);
    }
  }

  const summary = Object.fromEntries(
    VARIANTS.map((v) => {
      const list = runs.get(v.key)!;
      return [v.key, { rps: median(list.map((r) => r.rps)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)), okShare: median(list.map((r) => r.okPerSecond / r.rps)) }];
    }),
  ) as Record<string, { rps: number; p50: number; p99: number; okShare: number }>;
  const base = summary["none"]!.rps;
  const rows = VARIANTS.map((v) => {
    const s = summary[v.key]!;
    const reference = v.path === "/dashboard" ? fmtRatio(ratio(s.rps, base)) : "";
    return [v.label, v.cache ? "on" : "off", fmt(s.rps), fmt(s.p50), fmt(s.p99), reference];
  });
  const text = [
    table(["request (signed in)", "session cache", "req/s", "p50 ms", "p99 ms", "vs no proxy, cache on"], rows),
    "",
    `Proxy cost (cache on): full check ${fmtRatio(ratio(summary["full"]!.rps, base))} of no proxy, no-op proxy ${fmtRatio(ratio(summary["noop"]!.rps, base))}; ` +
      `the check itself costs ${fmtRatio(ratio(summary["full"]!.rps, summary["noop"]!.rps))} of a proxy that does nothing.`,
    `Cache effect: /dashboard with full check ${fmtRatio(ratio(summary["full"]!.rps, summary["full-nocache"]!.rps))} the no-cache rate; ` +
      `GET /api/auth/session ${fmtRatio(ratio(summary["api"]!.rps, summary["api-nocache"]!.rps))}.`,
    `Medians of ${rounds} rounds of ${duration} s, ${connections} connections, variants interleaved in each round.`,
  ].join("\n");
  return { id: "P1", title: "P1 — cost of the session check", text, data: { summary, runs: Object.fromEntries(runs) } };
}
