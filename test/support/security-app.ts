/**
 * The product as an outsider meets it, for the security, fuzz and fault suites: the HTTP harness's
 * `next start` on a fresh PostgreSQL database with an SMTP capture, built in a directory of its own,
 * plus what an attacker's test bench needs around it: direct database reads (to prove what is and is
 * not stored), a way to let time pass for one row (expiry tests), and the server's process (to kill it).
 */
import "./security-dist-dir";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Pool } from "pg";
import { createTestDatabase, startNextServer, watched, type NextServer, type NextServerOptions } from "./next-server";
import { postgresAvailable } from "./postgres";

export { createTestDatabase, TEST_JWT_SECRET, type NextServer } from "./next-server";
export { SmtpCapture, type CapturedMail } from "./smtp-capture";

/** A first build can take minutes on two cores; starting a built server takes seconds. */
export const START_TIMEOUT_MS = 10 * 60_000;

/**
 * `describe` when PostgreSQL answers; otherwise the suite fails with a message that says what is
 * missing. (On a workstation without PostgreSQL, jest.config.js leaves these suites out with a notice.)
 */
export function describeWithDatabase(name: string, body: () => void): void {
  if (postgresAvailable()) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    it("needs PostgreSQL", () => {
      throw new Error(`PostgreSQL is not reachable (set TEST_DATABASE_URL): "${name}" cannot run.`);
    });
  });
}

/**
 * Starts the production server. Limits stay as the harness sets them (RATE_LIMIT_SCALE=100: the suites
 * share one client IP) unless `env` says otherwise, as the throttling suites do. A server of its own
 * gets a fresh database copied from a migrated template, which takes a fraction of a second where
 * running the migrations for each server took seconds; stopping the server drops it.
 */
export async function startApp(options: NextServerOptions = {}): Promise<NextServer> {
  if (options.databaseUrl) return watched("[security-app] starting a second instance", startNextServer(options));
  const database = await watched("[security-app] copying the template database", freshDatabase());
  let server: NextServer;
  try {
    server = await watched("[security-app] starting the server", startNextServer({ ...options, databaseUrl: database.url }));
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  }
  return {
    ...server,
    output: () => server.output(),
    async stop() {
      await server.stop();
      await database.drop().catch((error) => console.warn(`could not drop ${database.url}: ${error}`));
    },
  };
}

/** A fresh database copied from the migrated template (see the HTTP harness); `drop` removes it. */
export const freshDatabase = createTestDatabase;

/** Direct reads (and the odd write to play the clock forward) on the app's own database. */
export class Database {
  private readonly pool: Pool;

  constructor(readonly url: string) {
    this.pool = new Pool({ connectionString: url, max: 3 });
    // An idle connection ends when the suite drops its database; that is no failure of the test.
    this.pool.on("error", () => undefined);
  }

  async query<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, params)).rows as T[];
  }

  async one<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T> {
    const rows = await this.query<T>(text, params);
    if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${text}`);
    return rows[0]!;
  }

  /**
   * Moves time forward for some rows (e.g. a token that should have expired), then tells every app
   * instance to forget its cached sessions and users, as a real wait would have let them expire.
   * An unreadable notice on the cache channel means "forget everything" to the app.
   */
  async timeTravel(text: string, params: unknown[] = []): Promise<void> {
    await this.pool.query(text, params);
    await this.pool.query(`SELECT pg_notify('auth_session_cache', 'time-travel')`);
    // The notice crosses the app's LISTEN connection asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  /** Every table of the app's schema. */
  async tables(): Promise<string[]> {
    const rows = await this.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    return rows.map((row) => row.table_name);
  }

  /** Every row of every table as JSON text (bytea as \\x hex), for searching secrets at rest. */
  async dump(): Promise<Map<string, string[]>> {
    const dump = new Map<string, string[]>();
    for (const table of await this.tables()) {
      const rows = await this.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
      dump.set(
        table,
        rows.map((r) => r.row),
      );
    }
    return dump;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

// ---------------------------------------------------------------------------------------------------
// The server's processes.

/** The process listening on `port` (the next-server worker). */
export function listeningPid(port: number): number | null {
  let out = "";
  try {
    out = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
  } catch {
    return null;
  }
  const match = /pid=(\d+)/.exec(out);
  return match ? Number(match[1]) : null;
}

/** The process group of `pid` (the harness starts the server as its own group). */
export function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which sits in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[2]);
}

/** SIGKILLs the whole server (its process group), as a crash or an OOM kill would: no clean-up runs. */
export async function killServer(server: NextServer): Promise<void> {
  const pid = listeningPid(server.port);
  if (pid === null) throw new Error(`no process listens on port ${server.port}`);
  const group = processGroupOf(pid);
  if (!(group > 1) || group === process.pid) throw new Error(`refusing to kill process group ${group}`);
  process.kill(-group, "SIGKILL");
  const deadline = Date.now() + 5000;
  while (listeningPid(server.port) !== null) {
    if (Date.now() > deadline) throw new Error(`port ${server.port} still open after SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
