import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { EMBEDDED_MAX_CONNECTIONS } from "../../../src/infrastructure/persistence/embedded/embedded-pool";

export interface EmbeddedProcess {
  readonly url: string;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, "../../..");
const SCRIPT = resolve(__dirname, "embedded-server.ts");
const START_TIMEOUT_MS = 170_000;

/** Starts `startEmbeddedPostgres` in a child process (see embedded-server.ts for why) and waits for its URL. */
export function spawnEmbeddedPostgres(options: { maxConnections?: number } = {}): Promise<EmbeddedProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, EMBEDDED_MAX_CONNECTIONS: String(options.maxConnections ?? EMBEDDED_MAX_CONNECTIONS) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return new Promise<EmbeddedProcess>((resolveStart, rejectStart) => {
    // PGlite's WASM start takes 2–5 s on a quiet machine and minutes on a saturated one; the suites'
    // open hooks allow 180 s, so this gives up just before them with its own message.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      rejectStart(new Error(`the embedded PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      rejectStart(new Error(`the embedded PostgreSQL exited with code ${code} before it was ready`));
    });
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      const { url } = JSON.parse(line) as { url: string };
      resolveStart({
        url,
        async stop() {
          child.stdin!.end();
          const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}
