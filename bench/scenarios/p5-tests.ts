import { spawn } from "node:child_process";
import { ROOT } from "../lib/app";
import type { BenchContext, Section } from "../lib/context";
import { fmt, median, table } from "../lib/stats";

function timed(command: string, args: string[]): Promise<{ seconds: number; code: number | null }> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "ignore", "ignore"], env: process.env });
    child.on("error", fail);
    child.on("exit", (code) => done({ seconds: (performance.now() - started) / 1000, code }));
  });
}

/** P5 (opt-in, slow): wall time of the whole `npm test` and of the unit tests alone. */
export async function testSuiteTime(ctx: BenchContext): Promise<Section> {
  const results: Record<string, Array<{ seconds: number; code: number | null }>> = { unit: [], all: [] };
  for (let round = 1; round <= ctx.options.rounds; round++) {
    results.unit!.push(await timed("npx", ["jest", "test/unit"]));
    ctx.log(`P5 round ${round}/${ctx.options.rounds} unit: ${fmt(results.unit!.at(-1)!.seconds)} s (exit ${results.unit!.at(-1)!.code})`);
    results.all!.push(await timed("npm", ["test", "--silent"]));
    ctx.log(`P5 round ${round}/${ctx.options.rounds} npm test: ${fmt(results.all!.at(-1)!.seconds)} s (exit ${results.all!.at(-1)!.code})`);
  }
  const row = (label: string, list: Array<{ seconds: number; code: number | null }>) => [
    label,
    fmt(median(list.map((r) => r.seconds))),
    list.map((r) => String(r.code)).join(", "),
  ];
  const text = [
    table(["command", "median s", "exit codes"], [row("npx jest test/unit", results.unit!), row("npm test (typecheck, dependency rules, every suite)", results.all!)]),
    "",
    `${ctx.options.rounds} rounds each; the Next.js build the HTTP suites need is reused when up to date.`,
  ].join("\n");
  return { id: "P5", title: "P5 — test suite time", text, data: results };
}
