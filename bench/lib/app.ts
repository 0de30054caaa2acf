/**
 * The product as the benchmarks run it: production builds of the web app (as is, with a proxy that
 * does nothing, and with no proxy at all), `next start` instances as detached process groups on
 * free ports, one fresh PostgreSQL database per run, and an SMTP sink for the mails sign-up sends.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "pg";
import { SMTPServer } from "smtp-server";
import { createDataSource, runMigrations } from "../../src/infrastructure/persistence/typeorm";

export const ROOT = resolve(__dirname, "../..");
const NEXT_BIN = require.resolve("next/dist/bin/next", { paths: [ROOT] });
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const ARGON2 = { memoryKiB: 19456, timeCost: 2, parallelism: 1 } as const;
const SECRET = randomBytes(32).toString("base64url");

// ---------------------------------------------------------------------------------------------------
// Builds.

/**
 * - full: the web app as shipped;
 * - nonce-proxy: the same app whose proxy does everything the real one does for a signed-in page except
 *   the session check (a CSP nonce handed to the page), which splits the proxy's cost in two;
 * - noop-proxy: the same app whose proxy only passes the request on (measures the cost of invoking a proxy);
 * - no-proxy: the same app without proxy.ts (pages still check the session themselves);
 * - bare: no proxy.ts and no Content-Security-Policy on the prerendered public pages (P8's reference:
 *   the page as a plain static page).
 * The variants are copies of web/ beside it (the pages import ../src), removed when the run ends.
 */
export type BuildVariant = "full" | "nonce-proxy" | "noop-proxy" | "no-proxy" | "bare";

export interface Build {
  readonly variant: BuildVariant;
  readonly dir: string;
  readonly distDir: string;
}

const NOOP_PROXY = `import { NextResponse } from "next/server";

// Benchmark variant: the proxy is invoked on the same paths as the real one and does nothing.
export function proxy() {
  return NextResponse.next();
}

export const config = {
  matcher: ["/((?!api(?:/|$)|_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
`;

const NONCE_PROXY = `import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "../src/interfaces/web/security-headers";

// Benchmark variant: the real proxy's per-request CSP nonce and request-header hand-over, no session check.
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce, development: false, https: false });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  headers.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: ["/((?!api(?:/|$)|_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
`;

function variantDir(variant: BuildVariant): string {
  return variant === "full" ? join(ROOT, "web") : join(ROOT, `.bench-web-${variant}`);
}

function newestMtime(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry.startsWith(".next") || entry === ".data") continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function isStale(build: Build): boolean {
  const id = join(build.dir, build.distDir, "BUILD_ID");
  if (!existsSync(id)) return true;
  const built = statSync(id).mtimeMs;
  return ["src", "web", "package.json", "tsconfig.json"].some((p) => newestMtime(join(ROOT, p)) > built);
}

export async function ensureBuild(variant: BuildVariant, log: (line: string) => void): Promise<Build> {
  const dir = variantDir(variant);
  const build: Build = { variant, dir, distDir: ".next-bench" };
  if (variant !== "full") {
    // Refreshed from web/ every time, keeping only its previous build output.
    const keep = join(dir, build.distDir);
    if (existsSync(dir)) for (const entry of readdirSync(dir)) if (join(dir, entry) !== keep) rmSync(join(dir, entry), { recursive: true, force: true });
    cpSync(join(ROOT, "web"), dir, {
      recursive: true,
      filter: (source) => !/[\\/]\.next[^\\/]*($|[\\/])/.test(source.slice(join(ROOT, "web").length)),
    });
    rmSync(join(dir, "proxy.ts"), { force: true });
    if (variant === "noop-proxy") writeFileSync(join(dir, "proxy.ts"), NOOP_PROXY);
    if (variant === "nonce-proxy") writeFileSync(join(dir, "proxy.ts"), NONCE_PROXY);
  }
  if (!isStale(build)) {
    log(`build ${variant}: up to date`);
    return build;
  }
  log(`build ${variant}: next build ${dir.slice(ROOT.length + 1)} …`);
  const started = Date.now();
  await run(process.execPath, [NEXT_BIN, "build", dir], { NEXT_DIST_DIR: build.distDir, NEXT_TELEMETRY_DISABLED: "1" });
  // The last step of `npm run build`: the prerendered pages' script hashes into their CSP.
  await run(process.execPath, [join(ROOT, "scripts/static-csp.mjs"), dir, build.distDir], {});
  if (variant === "bare") withoutCsp(join(dir, build.distDir, "routes-manifest.json"));
  log(`build ${variant}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return build;
}

export function removeVariantCopies(): void {
  for (const variant of ["nonce-proxy", "noop-proxy", "no-proxy", "bare"] as const) rmSync(variantDir(variant), { recursive: true, force: true });
}

/** The bare variant: every Content-Security-Policy header rule taken out of the routes manifest. */
function withoutCsp(manifestPath: string): void {
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { headers: Array<{ headers: Array<{ key: string }> }> };
  for (const rule of manifest.headers) rule.headers = rule.headers.filter((h) => h.key.toLowerCase() !== "content-security-policy");
  manifest.headers = manifest.headers.filter((rule) => rule.headers.length > 0);
  writeFileSync(manifestPath, JSON.stringify(manifest));
}

function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`${args.join(" ")} failed (${code}):\n${output.slice(-5000)}`))));
  });
}

// ---------------------------------------------------------------------------------------------------
// Database and mail.

export interface Database {
  readonly url: string;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<Database> {
  const name = `bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  // runMigrations keeps one connection for its advisory lock and migrates on another.
  const dataSource = createDataSource({ url: url.toString(), poolSize: 2 });
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
  return { url: url.toString(), drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined) };
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Accepts and discards every mail, so the outbox dispatcher has somewhere to deliver. */
export async function startSmtpSink(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      stream.on("end", () => callback());
      stream.resume();
    },
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, "127.0.0.1", () => done()));
  return { url: `smtp://127.0.0.1:${port}`, stop: () => new Promise<void>((done) => server.close(() => done())) };
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Instances.

export interface Instance {
  readonly name: string;
  readonly url: string;
  /** CPU time (user + system) the server process has used so far, in milliseconds; NaN where /proc is missing. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** utime + stime of a process from /proc/<pid>/stat (Linux), in milliseconds. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** USER_HZ: 100 on every Linux kernel configuration in use. */
const CLOCK_TICKS = 100;

export interface InstanceOptions {
  readonly name: string;
  readonly build: Build;
  readonly databaseUrl: string;
  readonly smtpUrl: string;
  /** Extra environment, e.g. REDIS_URL, SESSION_CACHE_TTL_MS=0, PASSWORD_HASH_CONCURRENCY. */
  readonly env?: Record<string, string>;
}

const INHERITED = /^(PATH|HOME|LANG|LC_ALL|TMPDIR|TZ)$/;

export async function startInstance(options: InstanceOptions): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && INHERITED.test(key)) env[key] = value;
  Object.assign(env, {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: options.build.distDir,
    NODE_OPTIONS: `--require ${join(ROOT, "web", "client-ip.cjs")}`,
    DATABASE_URL: options.databaseUrl,
    APP_URL: url,
    SMTP_URL: options.smtpUrl,
    MAIL_FROM: "bench@localhost",
    AUTH_JWT_SECRET: SECRET,
    PORT: String(port),
    DATA_DIR: join(tmpdir(), `bench-data-${port}`),
    RATE_LIMIT_SCALE: "0",
    ARGON2_MEMORY_KIB: String(ARGON2.memoryKiB),
    ARGON2_TIME_COST: String(ARGON2.timeCost),
    ARGON2_PARALLELISM: String(ARGON2.parallelism),
    ...options.env,
  });
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, "start", options.build.dir, "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr!.on("data", (chunk) => (output = (output + chunk).slice(-20_000)));
  let exited = false;
  const exit = new Promise<void>((done) => child.once("exit", () => ((exited = true), done())));

  const stop = async () => {
    if (exited || !child.pid) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const gone = await Promise.race([exit.then(() => true), sleep(8000).then(() => false)]);
    if (!gone) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
      await exit;
    }
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${options.name} exited during start:\n${output}`);
    try {
      const response = await fetch(`${url}/api/__ready`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 404) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} did not start within 60 s:\n${output}`);
    }
    await sleep(150);
  }
  return { name: options.name, url, cpuMs: () => processCpuMs(child.pid), stop };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

// ---------------------------------------------------------------------------------------------------
// HTTP as a browser would speak it.

export const PASSWORD = "bench passphrase that is long enough 7";

export function jsonHeaders(instance: Instance, cookie?: string): Record<string, string> {
  return {
    "content-type": "application/json",
    origin: instance.url,
    accept: "application/json",
    "user-agent": "bench",
    ...(cookie ? { cookie: `session=${cookie}` } : {}),
  };
}

export function sessionCookieFrom(response: Response): string | null {
  for (const raw of response.headers.getSetCookie()) {
    const match = /^session=([^;]*)/.exec(raw);
    if (match) return match[1] || null;
  }
  return null;
}

export async function signUp(instance: Instance, email = `bench.${randomBytes(6).toString("hex")}@example.com`): Promise<{ email: string; cookie: string }> {
  const response = await fetch(`${instance.url}/api/auth/sign-up`, {
    method: "POST",
    headers: jsonHeaders(instance),
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const cookie = sessionCookieFrom(response);
  if (response.status !== 201 || !cookie) throw new Error(`sign-up on ${instance.name} failed: ${response.status} ${await response.text()}`);
  return { email, cookie };
}

export async function get(instance: Instance, path: string, cookie: string): Promise<Response> {
  const response = await fetch(`${instance.url}${path}`, { headers: jsonHeaders(instance, cookie), redirect: "manual" });
  await response.arrayBuffer();
  return response;
}

export async function post(instance: Instance, path: string, cookie: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${instance.url}${path}`, {
    method: "POST",
    headers: jsonHeaders(instance, cookie),
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
  await response.arrayBuffer();
  return response;
}
