import type { BenchContext, Section } from "../lib/context";
import { load, type LoadResult } from "../lib/load";
import { fmt, fmtRatio, ratio, rotated, summarizePageRuns, table } from "../lib/stats";

interface Variant {
  readonly key: string;
  readonly label: string;
  readonly build: "full" | "bare";
  readonly path: string;
}

const VARIANTS: readonly Variant[] = [
  { key: "static", label: "/sign-in as shipped (prerendered, hash CSP, no proxy)", build: "full", path: "/sign-in" },
  { key: "bare", label: "/sign-in with no CSP and no proxy", build: "bare", path: "/sign-in" },
  { key: "per-request", label: "/sign-in?notice=signed-out (per request: proxy, nonce CSP)", build: "full", path: "/sign-in?notice=signed-out" },
];

/**
 * P8: the public sign-in page, anonymous. As shipped, a plain GET /sign-in is the prerendered page
 * with a CSP of its script hashes, and the proxy does not run (web/static-pages.cjs); the reference is
 * the same page from a build with no proxy and no CSP at all. The same page rendered per request
 * (what every /sign-in cost before, and what `?next=`/`?notice=` still cost) is shown beside them.
 */
export async function publicPageSpeed(ctx: BenchContext): Promise<Section> {
  const { rounds, duration, connections } = ctx.options;
  // One instance per variant: rendering pages per request leaves garbage whose collection would be
  // charged to the static page's next round in the same process (measured: 0.87× against a fresh one).
  const instances = new Map<string, Awaited<ReturnType<BenchContext["start"]>>>();
  for (const variant of VARIANTS) {
    const instance = await ctx.start({ name: `p8-${variant.key}`, build: await ctx.build(variant.build) });
    const response = await fetch(`${instance.url}${variant.path}`, { headers: { accept: "text/html" }, redirect: "manual" });
    const html = await response.text();
    const csp = response.headers.get("content-security-policy") ?? "";
    if (response.status !== 200 || !html.includes("<form")) throw new Error(`${instance.name} ${variant.path}: expected the sign-in page, got ${response.status}`);
    const expected = variant.key === "bare" ? csp === "" : variant.key === "static" ? /'sha256-/.test(csp) && !/'nonce-/.test(csp) : /'nonce-/.test(csp);
    if (!expected) throw new Error(`${instance.name} ${variant.path}: unexpected CSP "${csp}"`);
    await load({ url: `${instance.url}${variant.path}`, connections, duration: 2, headers: { accept: "text/html" } });
    instances.set(variant.key, instance);
  }

  const runs = new Map<string, Array<LoadResult & { cpuMsPerRequest: number }>>(VARIANTS.map((v) => [v.key, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const variant of rotated(VARIANTS, round)) {
      const instance = instances.get(variant.key)!;
      const cpuBefore = instance.cpuMs();
      const result = await load({ url: `${instance.url}${variant.path}`, connections, duration, headers: { accept: "text/html" } });
      const cpuMsPerRequest = (instance.cpuMs() - cpuBefore) / Math.max(1, result.rps * result.duration);
      runs.get(variant.key)!.push({ ...result, cpuMsPerRequest });
      ctx.log(`P8 round ${round}/${rounds} ${variant.key}: ${fmt(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, server CPU ${fmt(cpuMsPerRequest)} ms/request`);
    }
  }

  const summary = summarizePageRuns(runs);
  const bare = summary["bare"]!;
  const rows = VARIANTS.map((v) => {
    const s = summary[v.key]!;
    return [v.label, fmt(s.rps), fmt(s.p50), fmt(s.p99), fmtRatio(ratio(s.rps, bare.rps)), fmt(s.cpu), fmtRatio(ratio(bare.cpu, s.cpu))];
  });
  const text = [
    table(["request (anonymous)", "req/s", "p50 ms", "p99 ms", "req/s vs bare", "server CPU ms/req", "CPU-bound rate vs bare"], rows),
    "",
    `Goal (as shipped ≥ 0.90× the page with no CSP and no proxy): ${fmtRatio(ratio(summary["static"]!.rps, bare.rps))} in req/s, ` +
      `${fmtRatio(ratio(bare.cpu, summary["static"]!.cpu))} in server CPU per request.`,
    `The same page rendered per request: ${fmtRatio(ratio(summary["per-request"]!.rps, bare.rps))} of bare in req/s.`,
    `Medians of ${rounds} rounds of ${duration} s, ${connections} connections, variants interleaved in each round.`,
  ].join("\n");
  return { id: "P8", title: "P8 — the public sign-in page", text, data: { summary, runs: Object.fromEntries(runs) } };
}
