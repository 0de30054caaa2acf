import { Client } from "pg";
import { get, signUp } from "../lib/app";
import type { BenchContext, Section } from "../lib/context";
import { load, type LoadResult } from "../lib/load";
import { fmt, fmtRatio, median, ratio, rotated, table } from "../lib/stats";

const VARIANTS = [
  { key: "cookie", label: "GET /api/me, session cookie" },
  { key: "api-key", label: "GET /api/me, API key (Authorization: Bearer)" },
] as const;

/**
 * P6: what a bearer check costs next to a session check. The same user reads GET /api/me with the
 * session cookie (through the session cache) and with an API key (one indexed read by prefix and a
 * constant-time hash comparison per request, no cache: see AuthenticateRequest). Goal: ≥ 0.9×.
 */
export async function bearerCheckCost(ctx: BenchContext): Promise<Section> {
  const { rounds, duration, connections } = ctx.options;
  const instance = await ctx.start({ name: "p6", build: await ctx.build("full"), env: {} });
  const { email, cookie } = await signUp(instance);
  // Creating a key needs a verified address; the bench has no inbox, so it is marked in the database.
  const client = new Client({ connectionString: ctx.database.url });
  await client.connect();
  await client.query("UPDATE users SET email_verified_at = now() WHERE email = $1", [email]);
  await client.end();
  const created = await fetch(`${instance.url}/api/api-keys`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: instance.url, cookie: `session=${cookie}` },
    body: JSON.stringify({ name: "bench" }),
  });
  if (created.status !== 201) throw new Error(`API key creation failed: ${created.status} ${await created.text()}`);
  const { secret } = (await created.json()) as { secret: string };

  const headers: Record<string, Record<string, string>> = {
    cookie: { cookie: `session=${cookie}`, accept: "application/json" },
    "api-key": { authorization: `Bearer ${secret}`, accept: "application/json" },
  };
  for (const variant of VARIANTS) {
    const response = await fetch(`${instance.url}/api/me`, { headers: headers[variant.key] });
    if (response.status !== 200) throw new Error(`${variant.key}: expected 200, got ${response.status}`);
    await load({ url: `${instance.url}/api/me`, connections, duration: 2, headers: headers[variant.key] });
  }
  await get(instance, "/api/me", cookie);

  const runs = new Map<string, Array<LoadResult & { cpuMsPerRequest: number }>>(VARIANTS.map((v) => [v.key, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const variant of rotated(VARIANTS, round)) {
      const cpuBefore = instance.cpuMs();
      const result = await load({ url: `${instance.url}/api/me`, connections, duration, headers: headers[variant.key] });
      const cpuMsPerRequest = (instance.cpuMs() - cpuBefore) / Math.max(1, result.rps * result.duration);
      runs.get(variant.key)!.push({ ...result, cpuMsPerRequest });
      ctx.log(`P6 round ${round}/${rounds} ${variant.key}: ${fmt(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, server CPU ${fmt(cpuMsPerRequest)} ms/request`);
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
    return [v.label, fmt(s.rps), fmt(s.p50), fmt(s.p99), fmtRatio(ratio(s.rps, summary["cookie"]!.rps)), fmt(s.cpu)];
  });
  const text = [
    table(["request", "req/s", "p50 ms", "p99 ms", "req/s vs cookie", "server CPU ms/req"], rows),
    "",
    `Goal (API key ≥ 0.90× the session cookie): ${fmtRatio(ratio(summary["api-key"]!.rps, summary["cookie"]!.rps))} in req/s; ` +
      `${fmtRatio(ratio(summary["cookie"]!.cpu, summary["api-key"]!.cpu))} in server CPU per request.`,
    `Medians of ${rounds} rounds of ${duration} s, ${connections} connections, variants interleaved in each round.`,
  ].join("\n");
  return { id: "P6", title: "P6 — API key against session cookie on GET /api/me", text, data: { summary, runs: Object.fromEntries(runs) } };
}
