import { jsonHeaders, signUp, type Instance } from "../lib/app";
import type { BenchContext, Section } from "../lib/context";
import { load, type LoadResult } from "../lib/load";
import { fmt, fmtRatio, median, ratio, table, rotated } from "../lib/stats";

const VARIANTS = [
  { key: "limited", label: "hashing limit: default (cores at once, cores − 1 while busy, queue 8 × cores)", env: {} as Record<string, string> },
  { key: "fixed1", label: "hashing limit: 1 at once, queue 2 (the earlier default)", env: { PASSWORD_HASH_CONCURRENCY: "1", PASSWORD_HASH_QUEUE: "2" } },
  { key: "cores", label: "hashing limit: 2 at once, queue 4", env: { PASSWORD_HASH_CONCURRENCY: "2", PASSWORD_HASH_QUEUE: "4" } },
  { key: "unbounded", label: "no effective limit (1024 / 1024)", env: { PASSWORD_HASH_CONCURRENCY: "1024", PASSWORD_HASH_QUEUE: "1024" } },
] as const;

/**
 * P4: a signed-in page's latency and rate at rest, then while a flood of sign-ins (well over what
 * argon2 can serve) hits the same instance. With the hashing limit the excess is refused with 503
 * at once; without it every sign-in queues on the thread pool and both cores.
 */
export async function floodImpact(ctx: BenchContext): Promise<Section> {
  const { rounds, duration, connections, floodConnections, floodRate } = ctx.options;
  const build = await ctx.build("full");
  const targets: Array<{ key: string; label: string; instance: Instance; cookie: string; body: string }> = [];
  for (const variant of VARIANTS) {
    const instance = await ctx.start({ name: `p4-${variant.key}`, build, env: variant.env });
    const { cookie, email } = await signUp(instance);
    await load({ url: `${instance.url}/dashboard`, connections, duration: 2, headers: { cookie: `session=${cookie}` } });
    targets.push({ key: variant.key, label: variant.label, instance, cookie, body: JSON.stringify({ email, password: "a wrong password for the flood" }) });
  }
  const runs: Record<string, { rest: LoadResult[]; flood: LoadResult[]; signIns: LoadResult[] }> = {};
  for (let round = 1; round <= rounds; round++) {
    for (const target of rotated(targets, round)) {
      const entry = (runs[target.key] ??= { rest: [], flood: [], signIns: [] });
      const page = () => load({ url: `${target.instance.url}/dashboard`, connections, duration, headers: { cookie: `session=${target.cookie}` } });
      entry.rest.push(await page());
      const [underFlood, signIns] = await Promise.all([
        page(),
        load({
          url: `${target.instance.url}/api/auth/sign-in`,
          method: "POST",
          connections: floodConnections,
          overallRate: floodRate,
          duration,
          headers: jsonHeaders(target.instance),
          body: target.body,
        }),
      ]);
      entry.flood.push(underFlood);
      entry.signIns.push(signIns);
      ctx.log(
        `P4 round ${round}/${rounds} ${target.key}: rest ${fmt(entry.rest.at(-1)!.rps)} req/s p99 ${entry.rest.at(-1)!.p99} ms; ` +
          `flood ${fmt(underFlood.rps)} req/s p99 ${underFlood.p99} ms; sign-ins answered ${fmt(signIns.rps)}/s (${JSON.stringify(signIns.statuses)})`,
      );
    }
  }
  const rows: string[][] = [];
  for (const target of targets) {
    const { rest, flood, signIns } = runs[target.key]!;
    const m = (list: LoadResult[], pick: (r: LoadResult) => number) => median(list.map(pick));
    rows.push([
      target.label,
      `${fmt(m(rest, (r) => r.rps))} / ${fmt(m(flood, (r) => r.rps))}`,
      fmtRatio(ratio(m(flood, (r) => r.rps), m(rest, (r) => r.rps))),
      `${fmt(m(rest, (r) => r.p50))} / ${fmt(m(flood, (r) => r.p50))}`,
      `${fmt(m(rest, (r) => r.p99))} / ${fmt(m(flood, (r) => r.p99))}`,
      fmtRatio(ratio(m(flood, (r) => r.p99), m(rest, (r) => r.p99))),
      fmt(m(signIns, (r) => r.rps)),
      fmt(m(signIns, (r) => (r.statuses["503"] ?? 0) / r.duration)),
      fmt(m(signIns, (r) => r.p99)),
    ]);
  }
  const text = [
    table(["server", "/dashboard req/s rest / flood", "ratio", "p50 ms rest / flood", "p99 ms rest / flood", "p99 flood ÷ rest (goal ≤ 3×)", "sign-ins answered/s", "of which 503/s", "sign-in p99 ms"], rows),
    "",
    `Flood: ${floodConnections} connections offering ${floodRate} wrong-password sign-ins/s to the same account (rate limits off);` +
      ` page load: ${connections} connections. Medians of ${rounds} rounds of ${duration} s.`,
  ].join("\n");
  return { id: "P4", title: "P4 — signed-in page during a sign-in flood", text, data: runs };
}
