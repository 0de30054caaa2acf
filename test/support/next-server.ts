/**
 * Runs the real product for HTTP tests: `next build web` (once, when missing or stale), then
 * `npm start` (next start + the client-IP preload) as a detached process group on a free port, against
 * a fresh, migrated PostgreSQL database and an in-process SMTP capture. Tests talk to it over HTTP only.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { get as httpGet } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "pg";
import { SmtpCapture } from "./smtp-capture";

export const ROOT = resolve(__dirname, "../..");
/**
 * A build directory of its own, so a developer's `next dev` or another build never swaps files under the
 * tests. NEXT_DIST_DIR chooses another one (a suite that must not share its build with these tests).
 */
export const DIST_DIR = process.env.NEXT_DIST_DIR || ".next-http-test";
const BUILD_ID = join(ROOT, "web", DIST_DIR, "BUILD_ID");
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

// ---------------------------------------------------------------------------------------------------
// PostgreSQL availability: a notice on a laptop, a failure in CI.

let probed: boolean | undefined;

/** Synchronous, so a test file can decide at load time whether to register its suites. */
export function postgresReachable(): boolean {
  if (probed !== undefined) return probed;
  const script = `const {Client}=require("pg");const c=new Client({connectionString:process.argv[1],connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1));`;
  try {
    execFileSync(process.execPath, ["-e", script, TEST_DATABASE_URL], { cwd: ROOT, stdio: "ignore", timeout: 8000 });
    probed = true;
  } catch {
    probed = false;
  }
  return probed;
}

/**
 * `describe` when PostgreSQL answers; otherwise the suite fails with a message that says what is
 * missing. (On a workstation without PostgreSQL, jest.config.js leaves these suites out with a notice.)
 */
export function describeWithPostgres(name: string, body: () => void): void {
  if (postgresReachable()) {
    describe(name, body);
    return;
  }
  const notice = `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL): "${name}" cannot run.`;
  describe(name, () => {
    it("needs PostgreSQL", () => {
      throw new Error(notice);
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// The build.

const SOURCES = ["src", "web", "package.json", "tsconfig.json"];
const IGNORED = new Set(["node_modules", ".data"]);

function newestSourceMtime(path: string): number {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (IGNORED.has(entry) || entry.startsWith(".next")) continue;
    newest = Math.max(newest, newestSourceMtime(join(path, entry)));
  }
  return newest;
}

export function buildIsStale(): boolean {
  if (!existsSync(BUILD_ID)) return true;
  const built = statSync(BUILD_ID).mtimeMs;
  return SOURCES.some((source) => newestSourceMtime(join(ROOT, source)) > built);
}

/** Set by the globalSetup once the build of this run is in place. */
export const BUILD_FROZEN_ENV = "HTTP_TEST_BUILD_FROZEN";

const LOCK = join(tmpdir(), `next-build-${createHash("sha256").update(`${ROOT}:${DIST_DIR}`).digest("hex").slice(0, 12)}.lock`);

/** Never keeps the test process alive on its own. */
function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}

/**
 * Builds the app when there is no build or a source file is newer than it. Several jest workers may
 * ask at once: a lock directory lets one build while the others wait for it.
 */
export async function ensureNextBuild(): Promise<void> {
  // The jest globalSetup built (or checked) it for this run: use it as it is.
  if (process.env[BUILD_FROZEN_ENV] === "1" && existsSync(BUILD_ID)) return;
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    if (!buildIsStale()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      // Someone else is building; a lock older than the longest build is a leftover of a killed run.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 10 * 60_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error("timed out waiting for another `next build` to finish");
      await sleep(1000);
      continue;
    }
    try {
      if (!buildIsStale()) return;
      console.log("[next-server] building the app (npm run build: next build web, then the static pages' CSP)…");
      await run("npm", ["run", "--silent", "build"], 10 * 60_000);
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: DIST_DIR },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise();
      else reject(new Error(`${command} ${args.join(" ")} failed (${code}):\n${output.slice(-6000)}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Databases.

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A new database for one server, copied from a migrated template: a copy takes a fraction of a second
 * where running the migrations for each server took seconds of CPU (dozens of servers per run).
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const template = await ensureTemplate();
  const name = `http_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (error) {
      // Another worker copying the same template at this instant: try again shortly.
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await sleep(100 + Math.random() * 200);
    }
  }
  const url = withDatabase(TEST_DATABASE_URL, name);
  return {
    url,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Named after the migrations' contents, so a new migration makes a new template. */
function templateName(): string {
  const dir = join(ROOT, "src/infrastructure/persistence/migrations");
  const hash = createHash("sha256");
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  return `http_template_${hash.digest("hex").slice(0, 16)}`;
}

/**
 * The migrated template, made once through the production path (`npm run db:migrate`) and renamed
 * into place, which is atomic: a template that exists is complete, whichever worker made it.
 */
export async function ensureTemplate(): Promise<string> {
  const name = templateName();
  if (await databaseExists(name)) return name;
  const built = `http_build_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE "${built}"`));
  try {
    await migrate(withDatabase(TEST_DATABASE_URL, built));
    await admin((client) => client.query(`ALTER DATABASE "${built}" RENAME TO "${name}"`));
  } catch (error) {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS "${built}" WITH (FORCE)`)).catch(() => undefined);
    if (!(await databaseExists(name))) throw error;
  }
  return name;
}

async function databaseExists(name: string): Promise<boolean> {
  return admin(async (client) => (await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1);
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  // Bounded: an administrative statement that cannot get its connection or its lock fails with a
  // message instead of holding the suite's start for ever.
  const client = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 30_000, query_timeout: 120_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The production path: `npm run db:migrate` (TypeORM CLI on ormconfig.ts). */
async function migrate(url: string): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn("npm", ["run", "--silent", "db:migrate"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    // Bounded: a migration that cannot finish fails the suite with its output instead of holding it.
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise();
      else reject(new Error(`db:migrate failed (${signal === "SIGKILL" ? "no end within 180 s" : code}):\n${output.slice(-4000)}`));
    });
  });
}

export async function query<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------
// The server.

export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePromise(port));
    });
  });
}

export interface NextServerOptions {
  /** Extra environment (e.g. short SESSION_ROTATE_AFTER); a value of `undefined` removes a variable. */
  readonly env?: Record<string, string | undefined>;
  /** Reuse another server's database (a second instance of the same deployment). */
  readonly databaseUrl?: string;
  /** Reuse an SMTP capture. */
  readonly smtp?: SmtpCapture;
  /**
   * The host of APP_URL (default 127.0.0.1; the server listens there either way). WebAuthn needs a
   * domain as RP ID, which an IP address is not: the passkey journeys use `localhost`.
   */
  readonly appHost?: string;
}

export interface NextServer {
  readonly url: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly smtp: SmtpCapture;
  readonly env: Readonly<Record<string, string>>;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export const TEST_JWT_SECRET = "http-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

/**
 * Starts the production server. Every environment variable that the product reads is set explicitly,
 * so the developer's own shell cannot change what is tested.
 */
export async function startNextServer(options: NextServerOptions = {}): Promise<NextServer> {
  await ensureNextBuild();
  const ownsSmtp = !options.smtp;
  const smtp = options.smtp ?? new SmtpCapture();
  if (ownsSmtp) await watched("[next-server] starting the SMTP capture", smtp.start());
  const database = options.databaseUrl ? null : await watched("[next-server] copying the template database", createTestDatabase());
  const databaseUrl = options.databaseUrl ?? database!.url;
  const port = await freePort();
  const url = `http://${options.appHost ?? "127.0.0.1"}:${port}`;

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(DATABASE_URL|REDIS_URL|SMTP_URL|APP_URL|MAIL_FROM|TRUST_PROXY|AUTH_|SESSION_|RATE_LIMIT|ARGON2_|PASSWORD_|VERIFY_TOKEN|RESET_TOKEN|PORT$|DATA_DIR|NEXT_DIST_DIR)/.test(key)) env[key] = value;
  }
  Object.assign(env, {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: DIST_DIR,
    DATABASE_URL: databaseUrl,
    APP_URL: url,
    SMTP_URL: smtp.url,
    MAIL_FROM: "no-reply@auth.test",
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    PORT: String(port),
    DATA_DIR: join(tmpdir(), `http-test-data-${port}`),
    // Every test request comes from 127.0.0.1, so the suite itself would spend the per-IP limits;
    // tests of the limits set their own.
    RATE_LIMIT_SCALE: "100",
    // Suites look at rows a retention pass would delete (sent mail, revoked tokens); retention has its
    // own suites, and a test that wants it sets RETENTION_INTERVAL itself.
    RETENTION_INTERVAL: "0",
  });
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }

  const child: ChildProcess = spawn("npm", ["run", "--silent", "start", "--", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  // Both pipes close only when the last process of the group holding them (next-server) is gone.
  const drained = Promise.all([once(child.stdout!, "close"), once(child.stderr!, "close")]).then(() => undefined);
  let exited = false;
  const exit = new Promise<void>((resolvePromise) => child.once("exit", () => ((exited = true), resolvePromise())));

  /** Whether any process of the server's group (npm, sh, next-server) is still alive. */
  const groupAlive = (): boolean => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };

  // npm exits before the next-server it started has finished shutting down: wait for the whole group.
  const stopProcess = async (): Promise<void> => {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    const deadline = Date.now() + 10_000;
    while (groupAlive() && Date.now() < deadline) await sleep(50);
    if (groupAlive()) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    if (!exited) await exit;
    await Promise.race([drained, sleep(2000)]);
  };

  try {
    await waitUntilServing(`http://127.0.0.1:${port}`, () => exited, () => output);
  } catch (error) {
    await stopProcess();
    if (ownsSmtp) await smtp.stop();
    await database?.drop().catch(() => undefined);
    throw error;
  }

  return {
    url,
    port,
    databaseUrl,
    smtp,
    env,
    output: () => output,
    async stop() {
      await stopProcess();
      if (ownsSmtp) await smtp.stop();
      await database?.drop().catch((error) => console.warn(`could not drop ${databaseUrl}: ${error}`));
    },
  };
}

/** Names a start step in the log while it is still waiting after a minute, so a stuck start says where. */
export async function watched<T>(step: string, work: Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => console.warn(`${step}: still waiting after ${Math.round((Date.now() - started) / 1000)} s`), 60_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** Ready once an unknown /api path answers (the catch-all, which boots nothing). */
async function waitUntilServing(url: string, hasExited: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`the server exited during start:\n${output().slice(-6000)}`);
    if ((await probe(`${url}/api/__ready`, 2000)) === 404) return;
    await sleep(150);
  }
  throw new Error(`the server did not start within 60 s:\n${output().slice(-6000)}`);
}

/**
 * The status of one GET on a new connection, or null when there is no answer within `timeoutMs`.
 * Bounded by a timer of its own: suites once waited out their whole start hook on a probe sent while
 * the server was starting, which never got an answer, and whose fetch with AbortSignal.timeout never
 * timed out either (the worker sat idle, no timer left to fire).
 */
function probe(url: string, timeoutMs: number): Promise<number | null> {
  return new Promise((resolvePromise) => {
    const request = httpGet(url, { agent: false }, (response) => {
      response.resume();
      response.on("end", () => finish(response.statusCode ?? null));
      response.on("error", () => finish(null));
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish(null);
    }, timeoutMs);
    let done = false;
    function finish(status: number | null): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolvePromise(status);
    }
    request.on("error", () => finish(null));
  });
}
