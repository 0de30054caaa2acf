/**
 * The built product for the browser suites: `next build web` into web/.next-e2e (a build directory of
 * its own, so a rebuild by another suite or a developer never swaps files under a running browser
 * test), then `npm start` (next start + the client-IP preload) as a detached process group on a free
 * port, against a fresh, migrated PostgreSQL database and an in-process SMTP capture.
 *
 * Databases, ports and the SMTP capture come from the HTTP test harness (next-server.ts); only the
 * build directory differs, which that harness does not let a caller choose.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, freePort, query, ROOT, TEST_JWT_SECRET } from "./next-server";
import { SmtpCapture, type CapturedMail } from "./smtp-capture";

export const E2E_DIST_DIR = process.env.E2E_NEXT_DIST_DIR || ".next-e2e";
const BUILD_ID = join(ROOT, "web", E2E_DIST_DIR, "BUILD_ID");
const SOURCES = ["src", "web", "package.json", "tsconfig.json"];

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

function newestMtime(path: string): number {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry === ".data" || entry.startsWith(".next")) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function buildIsStale(): boolean {
  if (!existsSync(BUILD_ID)) return true;
  const built = statSync(BUILD_ID).mtimeMs;
  return SOURCES.some((source) => newestMtime(join(ROOT, source)) > built);
}

const LOCK = join(tmpdir(), `next-build-e2e-${createHash("sha256").update(`${ROOT}:${E2E_DIST_DIR}`).digest("hex").slice(0, 12)}.lock`);

/** Builds when there is no build or a source is newer; a lock lets one Jest worker build while others wait. */
export async function ensureE2eBuild(): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    if (!buildIsStale()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 10 * 60_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        /* released meanwhile */
      }
      if (Date.now() > deadline) throw new Error("timed out waiting for another `next build` to finish");
      await sleep(1000);
      continue;
    }
    try {
      if (!buildIsStale()) return;
      const started = Date.now();
      console.log(`[e2e] building the app into web/${E2E_DIST_DIR} (next build web)…`);
      await runToEnd("npx", ["next", "build", "web"], { NEXT_DIST_DIR: E2E_DIST_DIR }, 10 * 60_000);
      console.log(`[e2e] built in ${Math.round((Date.now() - started) / 1000)} s`);
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

function runToEnd(command: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
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

export interface E2eServerOptions {
  /** Product settings for this server (e.g. a short VERIFY_TOKEN_TTL); `undefined` removes a variable. */
  readonly env?: Record<string, string | undefined>;
}

export interface E2eServer {
  readonly url: string;
  readonly databaseUrl: string;
  readonly smtp: SmtpCapture;
  output(): string;
  /** The newest mail to `to` whose subject matches, waiting for it. */
  mailTo(to: string, subject: RegExp, after?: number): Promise<CapturedMail>;
  /** The first link in a mail's text that points at `path` on this server. */
  linkIn(mail: CapturedMail, path: string): string;
  /** Rows from the server's database, for checks a person could not make from the page. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/**
 * The product variables are all set here, so the developer's shell cannot change what is tested.
 * Rate limits stay on, scaled up, because every browser shares one client address (127.0.0.1);
 * a suite about the limits sets its own.
 */
export async function startE2eServer(options: E2eServerOptions = {}): Promise<E2eServer> {
  await ensureE2eBuild();
  const smtp = new SmtpCapture();
  await smtp.start();
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  try {
    database = await createTestDatabase();
  } catch (error) {
    await smtp.stop();
    throw error;
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  const env: Record<string, string> = {};
  const productVariable = /^(DATABASE_URL|REDIS_URL|SMTP_URL|APP_URL|MAIL_FROM|TRUST_PROXY|AUTH_|SESSION_|RATE_LIMIT|ARGON2_|PASSWORD_|VERIFY_TOKEN|RESET_TOKEN|PORT$|DATA_DIR|NEXT_DIST_DIR)/;
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !productVariable.test(key)) env[key] = value;
  Object.assign(env, {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: E2E_DIST_DIR,
    DATABASE_URL: database.url,
    APP_URL: url,
    SMTP_URL: smtp.url,
    MAIL_FROM: "no-reply@auth.test",
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    RATE_LIMIT_SCALE: "10",
    PORT: String(port),
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
  let exited = false;
  const exit = new Promise<void>((done) => child.once("exit", () => ((exited = true), done())));

  const groupAlive = (): boolean => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  // npm exits before the next-server it forked; the whole group must be gone (and its pipes with it)
  // or Jest waits on them after the suite.
  const stopProcess = async (): Promise<void> => {
    if (child.pid) {
      for (const [signal, graceMs] of [["SIGTERM", 8000], ["SIGKILL", 5000]] as const) {
        if (!groupAlive()) break;
        try {
          process.kill(-child.pid, signal);
        } catch {
          break;
        }
        const deadline = Date.now() + graceMs;
        while (groupAlive() && Date.now() < deadline) await sleep(50);
      }
    }
    if (!exited) await Promise.race([exit, sleep(2000)]);
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  const stopAll = async (): Promise<void> => {
    await stopProcess();
    await smtp.stop();
    await database.drop().catch((error) => console.warn(`could not drop ${database.url}: ${error}`));
  };

  try {
    await waitUntilServing(url, () => exited, () => output);
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    url,
    databaseUrl: database.url,
    smtp,
    output: () => output,
    async mailTo(to, subject, after = 0) {
      const matches = (mail: CapturedMail) => mail.to.includes(to.toLowerCase()) && subject.test(mail.subject);
      await smtp.waitFor((mail) => smtp.messages.indexOf(mail) >= after && matches(mail), 15_000);
      const all = smtp.messages.filter((mail, index) => index >= after && matches(mail));
      return all[all.length - 1]!;
    },
    linkIn(mail, path) {
      const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
      const link = links.find((candidate) => candidate.startsWith(`${url}${path}`));
      if (!link) throw new Error(`no ${path} link in the mail "${mail.subject}":\n${mail.text}`);
      return link.replace(/[).,>]+$/, "");
    },
    query: (text, params) => query(database.url, text, params),
    stop: stopAll,
  };
}

/** Serving once an unknown /api path answers its JSON 404 (that route boots nothing). */
async function waitUntilServing(url: string, hasExited: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`the server exited during start:\n${output().slice(-6000)}`);
    try {
      const response = await fetch(`${url}/api/__ready`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 404) return;
    } catch {
      /* not listening yet */
    }
    await sleep(150);
  }
  throw new Error(`the server did not start within 60 s:\n${output().slice(-6000)}`);
}
