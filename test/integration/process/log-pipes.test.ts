import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const MODULE = resolve(__dirname, "../../../src/infrastructure/process/log-pipes.ts");

/**
 * A child process that logs like a server whose database is gone, behind a handler for uncaught
 * errors that logs them (as Next.js's does), after its parent has closed the pipes of its stdout and
 * stderr. It writes its CPU time to `report` and exits 0 if it got that far.
 */
function childScript(guarded: boolean, report: string): string {
  return `
    const { writeFileSync } = require("node:fs");
    ${guarded ? `require(${JSON.stringify(MODULE)}).surviveClosedLogPipes();` : ""}
    // Written straight to the streams, as Next.js's logger and error handler do (the global console
    // would swallow its own write errors).
    let uncaught = 0;
    process.on("uncaughtException", (error) => {
      uncaught++;
      process.stderr.write(String(error) + "\\n");
    });
    setTimeout(() => {
      const before = process.cpuUsage();
      let lines = 0;
      const timer = setInterval(() => {
        process.stderr.write("[auth] database unreachable, retrying\\n");
        process.stdout.write("still here\\n");
        if (++lines === 50) {
          clearInterval(timer);
          const { user, system } = process.cpuUsage(before);
          writeFileSync(${JSON.stringify(report)}, JSON.stringify({ uncaught, cpuMs: (user + system) / 1000 }));
          process.exit(0);
        }
      }, 10);
    }, 300);
  `;
}

interface Report {
  readonly uncaught: number;
  /** CPU used while writing 50 lines over ≈ 500 ms. */
  readonly cpuMs: number;
}

async function runOrphaned(guarded: boolean): Promise<{ code: number | null; report: Report | null }> {
  const dir = mkdtempSync(join(tmpdir(), "log-pipes-"));
  const file = join(dir, "report.json");
  try {
    const child = spawn(process.execPath, ["--import", "tsx", "-e", childScript(guarded, file)], { stdio: ["ignore", "pipe", "pipe"] });
    // The reader goes away before the first line is written.
    child.stdout!.destroy();
    child.stderr!.destroy();
    const code = await new Promise<number | null>((done) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", (exitCode) => {
        clearTimeout(timer);
        done(exitCode);
      });
    });
    let report: Report | null = null;
    try {
      report = JSON.parse(readFileSync(file, "utf8")) as Report;
    } catch {
      /* never got that far */
    }
    return { code, report };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a server whose log pipes are closed", () => {
  it("keeps serving without an error loop about its own logging", async () => {
    const { code, report } = await runOrphaned(true);
    expect(code).toBe(0);
    expect(report).not.toBeNull();
    expect(report!.uncaught).toBe(0);
    expect(report!.cpuMs).toBeLessThan(250);
  }, 20_000);

  it("(control) without the guard each failed write is an uncaught error whose logging fails again", async () => {
    const { report } = await runOrphaned(false);
    // Thousands in half a second in practice: a core kept busy for as long as the process lives.
    expect(report).not.toBeNull();
    expect(report!.uncaught).toBeGreaterThan(100);
  }, 20_000);
});
