import { get, signUp, type Instance } from "../lib/app";
import type { BenchContext, Section } from "../lib/context";
import { load, type LoadResult } from "../lib/load";
import { fmt, fmtRatio, ratio, rotated, summarizePageRuns, table } from "../lib/stats";

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly path: "/dashboard" | "/api/auth/session";
  readonly build: "full" | "nonce-proxy" | "noop-proxy" | "no-proxy";
  readonly cache: boolean;
}

const VARIANTS: readonly Variant[] = [
  { key: "full", label: "/dashboard, full proxy check", path: "/dashboard", build: "full", cache: true },
  { key: "nonce", label: "/dashboard, proxy: CSP nonce only", path: "/dashboard", build: "nonce-proxy", cache: true },
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
    for (const build of ["full", "nonce-proxy", "noop-proxy", "no-proxy"] as const) {
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

  const runs = new Map<string, Array<LoadResult & { cpuMsPerRequest: number }>>(VARIANTS.map((v) => [v.key, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const variant of rotated(VARIANTS, round)) {
      const { instance, cookie } = instances.get(`${variant.build}:${variant.cache}`)!;
      const cpuBefore = instance.cpuMs();
      const result = await load({ url: `${instance.url}${variant.path}`, connections, duration, headers: { cookie: `session=${cookie}`, accept: "text/html,application/json" } });
      // The server's own CPU per answer: far steadier than req/s on a shared machine, where the load
      // generator and other work take CPU from the server unevenly.
      const cpuMsPerRequest = (instance.cpuMs() - cpuBefore) / Math.max(1, result.rps * result.duration);
      runs.get(variant.key)!.push({ ...result, cpuMsPerRequest });
      ctx.log(
        `P1 round ${round}/${rounds} ${variant.key}: ${fmt(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
          `server CPU ${fmt(cpuMsPerRequest)} ms/request, non-2xx ${Math.round((result.rps - result.okPerSecond) * result.duration)}`,
      );
    }
  }

  const summary = summarizePageRuns(runs);
  const base = summary["none"]!.rps;
  const rows = VARIANTS.map((v) => {
    const s = summary[v.key]!;
    const reference = v.path === "/dashboard" ? fmtRatio(ratio(s.rps, base)) : "";
    const cpuReference = v.path === "/dashboard" ? fmtRatio(ratio(summary["noop"]!.cpu, s.cpu)) : "";
    return [v.label, v.cache ? "on" : "off", fmt(s.rps), fmt(s.p50), fmt(s.p99), reference, fmt(s.cpu), cpuReference];
  });
  const cpu = (key: string) => summary[key]!.cpu;
  const text = [
    table(["request (signed in)", "session cache", "req/s", "p50 ms", "p99 ms", "req/s vs no proxy", "server CPU ms/req", "CPU-bound rate vs no-op proxy"], rows),
    "",
    `Goal (full check ≥ 0.90× the no-op proxy, cache on): ${fmtRatio(ratio(summary["full"]!.rps, summary["noop"]!.rps))} measured in req/s; ` +
      `${fmtRatio(ratio(cpu("noop"), cpu("full")))} in server CPU per request (the rate the server alone could reach; steadier here).`,
    `Server CPU per request: the session check itself (full − nonce only) ${fmt(cpu("full") - cpu("nonce"))} ms; the nonce hand-over ` +
      `(nonce only − no-op) ${fmt(cpu("nonce") - cpu("noop"))} ms; invoking a proxy (no-op − none) ${fmt(cpu("noop") - cpu("none"))} ms; ` +
      `cache off adds ${fmt(cpu("full-nocache") - cpu("full"))} ms to the full check.`,
    `Split: invoking a proxy at all ${fmtRatio(ratio(summary["noop"]!.rps, base))} of no proxy; the CSP nonce and request-header hand-over ` +
      `${fmtRatio(ratio(summary["nonce"]!.rps, summary["noop"]!.rps))} of the no-op proxy; the session check on top of that ` +
      `${fmtRatio(ratio(summary["full"]!.rps, summary["nonce"]!.rps))} of the nonce-only proxy.`,
    `Cache effect: /dashboard with full check ${fmtRatio(ratio(summary["full"]!.rps, summary["full-nocache"]!.rps))} the no-cache rate; ` +
      `GET /api/auth/session ${fmtRatio(ratio(summary["api"]!.rps, summary["api-nocache"]!.rps))}.`,
    `Medians of ${rounds} rounds of ${duration} s, ${connections} connections, variants interleaved in each round.`,
  ].join("\n");
  return { id: "P1", title: "P1 — cost of the session check", text, data: { summary, runs: Object.fromEntries(runs) } };
}
