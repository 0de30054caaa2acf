import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { Client } from "pg";

/**
 * The embedded server for tests, in a child process: PGlite's dynamic imports fail inside Jest's
 * module sandbox, so `startEmbeddedPostgres` cannot run in a test file itself.
 */
export { spawnEmbeddedPostgres, type EmbeddedProcess } from "../contract/support/embedded-process";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const ROOT = resolve(__dirname, "../..");

/**
 * Whether a server answers, asked synchronously because test files decide at load time which
 * variants to register. A child process does the asynchronous work.
 */
const probes = new Map<string, string | null>();

export function probeSync(script: string, url: string, timeoutMs = 5000): string | null {
  const key = `${url}\n${script}`;
  if (!probes.has(key)) probes.set(key, runProbe(script, url, timeoutMs));
  return probes.get(key)!;
}

function runProbe(script: string, url: string, timeoutMs: number): string | null {
  const child = spawnSync(process.execPath, ["-e", script], {
    cwd: ROOT,
    env: { ...process.env, PROBE_URL: url },
    timeout: timeoutMs,
    encoding: "utf8",
  });
  if (child.status === 0) return null;
  const reason = (child.stderr || child.error?.message || `exit ${child.status ?? child.signal}`).trim().split("\n")[0];
  return reason || "no answer";
}

/**
 * Decides whether the variants that need a server are registered: yes when it answers; when it does
 * not, a printed notice on a workstation, but a failing test under CI=true, where a missing server
 * must never pass as a green run.
 */
export function requireServer(what: string, url: string, unreachableReason: string | null): boolean {
  if (unreachableReason === null) return true;
  const where = redact(url);
  if (process.env.CI === "true") {
    test(`${what} is reachable at ${where} (required with CI=true)`, () => {
      throw new Error(`${what} at ${where} is unreachable: ${unreachableReason}`);
    });
  } else {
    console.warn(`${what} at ${where} is unreachable (${unreachableReason}): its test variants are not run.`);
  }
  return false;
}

const PG_PROBE = `
const { Client } = require("pg");
const client = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 3000 });
client.connect().then(() => client.query("SELECT 1")).then(() => client.end()).then(
  () => process.exit(0),
  (error) => { console.error(error.message || String(error)); process.exit(1); });
`;

/** True when PostgreSQL answers at TEST_DATABASE_URL; see `requireServer` for what happens otherwise. */
export function postgresAvailable(): boolean {
  return requireServer("PostgreSQL", TEST_DATABASE_URL, probeSync(PG_PROBE, TEST_DATABASE_URL));
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A new, empty database on the TEST_DATABASE_URL server, so suites running in parallel never meet. */
export async function createTestDatabase(label = "suite"): Promise<TestDatabase> {
  const name = `t_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase().slice(0, 30)}_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}
