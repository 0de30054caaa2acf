/**
 * A PostgreSQL server of the test's own, in a temporary directory on a free port, that the test may
 * stop and start again: a real restart, which the shared server every other suite uses cannot take.
 * Runs the installed server binaries (Debian: /usr/lib/postgresql/<version>/bin, or PG_BIN), as the
 * `postgres` user when the tests run as root (the server refuses to run as root).
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./next-server";

function binDir(): string | null {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "pg_ctl"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

export function privatePostgresAvailable(): boolean {
  return binDir() !== null;
}

function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = execFileSync("getent", ["passwd", "postgres"], { encoding: "utf8" }).trim().split(":");
  return { uid: Number(line[2]), gid: Number(line[3]) };
}

export class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly user: { uid: number; gid: number } | null,
  ) {}

  /** `postgres://postgres@127.0.0.1:<port>/<database>`. */
  url(database = "postgres"): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  static async create(): Promise<PrivatePostgres> {
    const bin = binDir();
    if (!bin) throw new Error("no PostgreSQL server binaries found (set PG_BIN)");
    const dir = mkdtempSync(join(tmpdir(), "private-pg-"));
    const user = postgresUser();
    if (user) chownSync(dir, user.uid, user.gid);
    const server = new PrivatePostgres(dir, await freePort(), bin, user);
    server.run("initdb", ["-D", join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
    server.start();
    return server;
  }

  private run(tool: string, args: string[]): string {
    const command = join(this.bin, tool);
    const options = { encoding: "utf8" as const, timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] as ["ignore", "pipe", "pipe"] };
    if (this.user) return execFileSync("runuser", ["-u", "postgres", "--", command, ...args], options);
    return execFileSync(command, args, options);
  }

  /** Starts the server and waits until it accepts connections. */
  start(): void {
    this.run("pg_ctl", [
      "-D", join(this.dir, "data"), "-l", join(this.dir, "server.log"), "-w", "-t", "30",
      "-o", `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
      "start",
    ]);
  }

  /** Stops it as an operator's restart does: `-m fast` ends every session at once. */
  stop(mode: "fast" | "immediate" = "fast"): void {
    this.run("pg_ctl", ["-D", join(this.dir, "data"), "-w", "-t", "30", "-m", mode, "stop"]);
  }

  async destroy(): Promise<void> {
    try {
      this.stop("immediate");
    } catch {
      /* already stopped */
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
