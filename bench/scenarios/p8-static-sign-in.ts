import type { BenchContext, Section } from "../lib/context";
import { load, type LoadResult } from "../lib/load";
import { fmt, fmtRatio, median, ratio, rotated, table } from "../lib/stats";

const VARIANTS = [
  { key: "shipped", label: "/sign-in as shipped (proxy, hash-based CSP)", build: "full" },
  { key: "bare", label: "/sign-in with no proxy and no CSP", build: "no-proxy" },
] as const;

/**
 * P8: the public sign-in page at a static page's speed. An anonymous GET /sign-in on the shipped
 * build (the proxy runs: no session cookie, so no lookup; it sets the CSP made of the prerendered
 * page's script hashes) against the same page of a build without proxy.ts, hence without any CSP.
 * Goal: ≥ 0.9×.
 */
export async function staticSignInCost(ctx: BenchContext): Promise<Section> {
  const { rounds, duration, connections } = ctx.options;
  const headers = { accept: "text/html" };
  const instances = new Map<string, { url: string; cpuMs: () => number }>();
  for (const variant of VARIANTS) {
    const instance = await ctx.start({ name: `p8-${variant.key}`, build: await ctx.build(variant.build), env: {} });
    const response = await fetch(`${instance.url}/sign-in`, { headers });
    if (response.status !== 200) throw new Error(`${instance.name} /sign-in: expected 200, got ${response.status}`);
    const csp = response.headers.get("content-security-policy");
    if (variant.key === "shipped" && (!csp || /'nonce-/.test(csp))) throw new Error(`${instance.name}: expected a hash-based CSP on /sign-in, got ${csp}`);
    if (variant.key === "bare" && csp) throw new Error(`${instance.name}: expected no CSP, got ${csp}`);
    await load({ url: `${instance.url}/sign-in`, connections, duration: 2, headers });
    instances.set(variant.key, instance);
  }

  const runs = new Map<string, Array<LoadResult & { cpuMsPerRequest: number }>>(VARIANTS.map((v) => [v.key, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const variant of rotated(VARIANTS, round)) {
      const instance = instances.get(variant.key)!;
      const cpuBefore = instance.cpuMs();
      const result = await load({ url: `${instance.url}/sign-in`, connections, duration, headers });
      const cpuMsPerRequest = (instance.cpuMs() - cpuBefore) / Math.max(1, result.rps * result.duration);
      runs.get(variant.key)!.push({ ...result, cpuMsPerRequest });
      ctx.log(
        `P8 round ${round}/${rounds} ${variant.key}: ${fmt(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
          `server CPU ${fmt(cpuMsPerRequest)} ms/request, non-2xx ${Math.round((result.rps - result.okPerSecond) * result.duration)}`,
      );
    }
  }
  const summary = Object.fromEntries(
    VARIANTS.map((v) => {
      const list = runs.get(v.key)!;
      return [v.key, { rps: median(list.map((r) => r.rps)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)), cpu: median(list.map((r) => r.cpuMsPerRequest)) }];
    }),
  ) as Record<string, { rps: number; p50: number; p99: number; cpu: number }>;
  const rows = VARIANTS.map((v) => {
    const s = summary[v.key]!;
    return [v.label, fmt(s.rps), fmt(s.p50), fmt(s.p99), fmtRatio(ratio(s.rps, summary["bare"]!.rps)), fmt(s.cpu)];
  });
  const text = [
    table(["request (anonymous)", "req/s", "p50 ms", "p99 ms", "req/s vs no proxy, no CSP", "server CPU ms/req"], rows),
    "",
    `Goal (shipped ≥ 0.90× no proxy and no CSP): ${fmtRatio(ratio(summary["shipped"]!.rps, summary["bare"]!.rps))} in req/s; ` +
      `${fmtRatio(ratio(summary["bare"]!.cpu, summary["shipped"]!.cpu))} in server CPU per request.`,
    `Medians of ${rounds} rounds of ${duration} s, ${connections} connections, variants interleaved in each round.`,
  ].join("\n");
  return { id: "P8", title: "P8 — the public sign-in page against the same page without proxy or CSP", text, data: { summary, runs: Object.fromEntries(runs) } };
}
