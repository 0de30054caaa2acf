import { spawn } from "node:child_process";
import { ROOT } from "../lib/app";
import type { BenchContext, Section } from "../lib/context";
import { fmt, median, table } from "../lib/stats";

interface Timed {
  readonly seconds: number;
  readonly code: number | null;
  /** Jest's own summary lines, e.g. "Tests: 1094 passed, 1094 total". */
  readonly suites: string;
  readonly tests: string;
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env });
    let tail = "";
    const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-20_000));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.on("error", fail);
    child.on("exit", (code) => {
      const line = (label: string) => new RegExp(`^${label}:\\s+(.*)$`, "m").exec(tail)?.[1]?.trim() ?? "–";
      done({ seconds: (performance.now() - started) / 1000, code, suites: line("Test Suites"), tests: line("Tests") });
    });
  });
}

/**
 * P5: wall time of the unit tests alone and of the whole `npm test` (type check, dependency rules,
 * every suite). `npm test` runs with CI=true, as CI runs it: every suite, PostgreSQL, Redis and
 * Chromium required. Slow (≈ 10 min per round on 2 cores): `--p5-rounds` sets its rounds.
 */
export async function testSuiteTime(ctx: BenchContext): Promise<Section> {
  const rounds = ctx.options.p5Rounds;
  const results: Record<"unit" | "all", Timed[]> = { unit: [], all: [] };
  const env = { ...process.env, CI: "true" };
  for (let round = 1; round <= rounds; round++) {
    const unit = await timed("npx", ["jest", "test/unit"], env);
    results.unit.push(unit);
    ctx.log(`P5 round ${round}/${rounds} unit: ${fmt(unit.seconds)} s (exit ${unit.code}; ${unit.tests})`);
    const all = await timed("npm", ["test", "--silent"], env);
    results.all.push(all);
    ctx.log(`P5 round ${round}/${rounds} npm test: ${fmt(all.seconds)} s (exit ${all.code}; suites ${all.suites}; tests ${all.tests})`);
  }
  const row = (label: string, list: Timed[]) => [
    label,
    fmt(median(list.map((r) => r.seconds))),
    list.map((r) => fmt(r.seconds)).join(" / "),
    list.map((r) => String(r.code)).join(", "),
    list.at(-1)!.suites,
    list.at(-1)!.tests,
  ];
  const text = [
    table(
      ["command (CI=true)", "median s", "rounds s", "exit codes", "suites (last round)", "tests (last round)"],
      [row("npx jest test/unit", results.unit), row("npm test (typecheck, dependency rules, every suite)", results.all)],
    ),
    "",
    `${rounds} round(s) each; the Next.js build the HTTP suites need is reused when up to date. ` +
      `Unit tests alone ÷ npm test: ${fmt((100 * median(results.unit.map((r) => r.seconds))) / median(results.all.map((r) => r.seconds)))} %.`,
  ].join("\n");
  return { id: "P5", title: "P5 — test suite time", text, data: results };
}
