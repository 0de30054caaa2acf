/**
 * A newcomer's first run: a fresh clone of this repository at HEAD, the README's two commands
 * (`npm ci`, then `npm run dev`) with no DATABASE_URL, SMTP_URL or AUTH_JWT_SECRET in the
 * environment, then in Chromium: sign up, open the dev mailbox, follow the verification link,
 * confirm, and see the account verified. Everything the app needs must come from the repository.
 *
 * A plain `npm ci` is used (≈ 35 s here with npm's cache warm), not a hard-linked copy of
 * node_modules: what is tested is what a newcomer runs.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { describeInBrowser, launchChromium, newContext, screenshot, seriousAccessibilityFindings } from "../support/browser";
import { freePort } from "../support/next-server";

const REPOSITORY = resolve(__dirname, "../..");

jest.setTimeout(15 * 60_000);

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * What a newcomer's shell has: a PATH and a HOME (npm's cache lives there), nothing of the
 * product's configuration and nothing of the test run's (NODE_ENV=test, npm_* variables, CI).
 */
function newcomerEnvironment(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: process.env.HOME ?? tmpdir(),
    LANG: "C.UTF-8",
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
}

function runToEnd(command: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: env as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(output);
      else reject(new Error(`${command} ${args.join(" ")} failed (${code ?? signal}):\n${output.slice(-6000)}`));
    });
  });
}

describeInBrowser(
  "first run: a fresh clone, `npm ci`, `npm run dev`, then sign up and verify through the dev mailbox",
  () => {
    let folder = "";
    let devServer: ChildProcess | null = null;
    let devOrigin = "";
    let devOutput = "";
    let browser: Browser | null = null;
    const timings: string[] = [];

    async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
      const started = Date.now();
      try {
        return await work();
      } finally {
        timings.push(`${step}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    }

    async function stopDevServer(): Promise<void> {
      const pid = devServer?.pid;
      if (!pid) return;
      const alive = () => {
        try {
          process.kill(-pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      for (const [signal, graceMs] of [["SIGTERM", 10_000], ["SIGKILL", 5_000]] as const) {
        if (!alive()) break;
        try {
          process.kill(-pid, signal);
        } catch {
          break;
        }
        const deadline = Date.now() + graceMs;
        while (alive() && Date.now() < deadline) await sleep(100);
      }
      devServer?.stdout?.destroy();
      devServer?.stderr?.destroy();
      devServer = null;
    }

    afterAll(async () => {
      await browser?.close();
      await timed("stop the dev server", stopDevServer);
      // Unlinking ~50,000 files of node_modules takes half a minute on these disks: it goes on in
      // the background, after the clone is renamed so nothing can mistake it for a live folder.
      if (folder) {
        const doomed = `${folder}.deleting`;
        renameSync(folder, doomed);
        spawn("rm", ["-rf", doomed], { detached: true, stdio: "ignore" }).unref();
      }
      console.log(`First run, step by step:\n  ${timings.join("\n  ")}`);
    });

    it("works end to end with nothing configured", async () => {
      folder = mkdtempSync(join(tmpdir(), "first-run-"));
      const app = join(folder, "app");
      await timed("git clone", async () => {
        execFileSync("git", ["clone", "--quiet", REPOSITORY, app], { stdio: "pipe" });
      });
      await timed("npm ci", () => runToEnd("npm", ["ci", "--no-audit", "--no-fund"], app, newcomerEnvironment({}), 8 * 60_000));

      const port = await freePort();
      const origin = `http://localhost:${port}`;
      devOrigin = origin;
      // Only PORT is set (port 3000 may be taken on this machine): the development origin follows it,
      // so the mailed links must reach this server without APP_URL.
      const env = newcomerEnvironment({ PORT: String(port) });
      devServer = spawn("npm", ["run", "dev"], { cwd: app, env: env as unknown as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      devServer.stdout!.on("data", (chunk) => (devOutput += chunk));
      devServer.stderr!.on("data", (chunk) => (devOutput += chunk));
      const exited = new Promise<number | null>((done) => devServer!.once("exit", (code) => done(code)));

      await timed("npm run dev until /sign-up answers", async () => {
        const deadline = Date.now() + 4 * 60_000;
        let ended: number | null | undefined;
        void exited.then((code) => (ended = code));
        for (;;) {
          if (ended !== undefined) throw new Error(`npm run dev exited (${ended}):\n${devOutput.slice(-6000)}`);
          if (Date.now() > deadline) throw new Error(`npm run dev did not serve /sign-up within 4 minutes:\n${devOutput.slice(-6000)}`);
          try {
            const response = await fetch(`${origin}/sign-up`, { signal: AbortSignal.timeout(120_000) });
            await response.arrayBuffer();
            if (response.status === 200) return;
          } catch {
            /* not listening yet */
          }
          await sleep(500);
        }
      });

      browser = await launchChromium();
      const context = await newContext(browser);
      const page: Page = await context.newPage();
      page.setDefaultTimeout(120_000); // each page compiles on its first visit under `next dev`
      const email = `newcomer-${Date.now().toString(36)}@example.com`;

      await timed("sign up", async () => {
        await page.goto(`${origin}/sign-up`);
        await page.getByLabel("E-mail address").fill(email);
        await page.getByLabel("Password", { exact: true }).fill("a quiet lantern over the orchard");
        await page.getByRole("button", { name: "Create account" }).click();
        await page.waitForURL((url) => url.pathname === "/dashboard");
        await page.getByRole("main").getByText("Not verified").waitFor();
      });

      await timed("dev mailbox", async () => {
        await page.goto(`${origin}/dev/mailbox`);
        await page.getByRole("heading", { name: "Development mailbox", level: 1 }).waitFor();
        await page.getByRole("article").filter({ hasText: email }).first().waitFor();
        await screenshot(page, "dev-mailbox");
        expect(await seriousAccessibilityFindings(page)).toEqual([]);
      });

      await timed("follow the link and confirm", async () => {
        const mail = page.getByRole("article").filter({ hasText: email }).first();
        const link = mail.getByRole("link", { name: /\/verify-email\?token=/ });
        expect(await link.getAttribute("href")).toMatch(new RegExp(`^${origin}/verify-email\\?token=`));
        await link.click();
        await page.getByRole("button", { name: "Confirm my e-mail address" }).click();
        await page.waitForURL((url) => url.pathname === "/dashboard");
        await page.getByRole("main").getByText("Your e-mail address is verified.").waitFor();
      });

      const account = (await page.getByRole("main").innerText()).replace(/\s+/g, " ");
      expect(account).toContain(email);
      expect(account).toContain("Verified");
      expect(account).not.toContain("Not verified");
      await screenshot(page, "dev-dashboard-verified");

      // Nothing was configured, so the embedded defaults did the work, inside the clone.
      expect(devOutput).not.toMatch(/DATABASE_URL is|AUTH_JWT_SECRET is|SMTP_URL is/);
      await context.close();
    });

    // The embedded database serves every statement from one connection; concurrent page loads of
    // different users must each get their own rows, with no error, under `next dev` too.
    it("serves 20 concurrent signed-in page loads and session reads with no error and no wrong row", async () => {
      if (!devOrigin) throw new Error("the dev server did not start (see the test above)");
      const people: Array<{ email: string; cookie: string }> = [];
      await timed("sign up 10 people over the API", async () => {
        for (let i = 0; i < 10; i++) {
          const email = `concurrent-${i}-${Date.now().toString(36)}@example.com`;
          const response = await fetch(`${devOrigin}/api/auth/sign-up`, {
            method: "POST",
            headers: { "content-type": "application/json", origin: devOrigin },
            body: JSON.stringify({ email, password: "a quiet lantern over the orchard" }),
          });
          expect(response.status).toBe(201);
          const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("session="));
          expect(cookie).toBeDefined();
          people.push({ email, cookie: cookie! });
        }
      });
      const failures: string[] = [];
      let answered = 0;
      await timed("5 rounds of 20 concurrent requests", async () => {
        for (let round = 0; round < 5; round++) {
          await Promise.all(
            Array.from({ length: 20 }, async (_, i) => {
              const person = people[(i + round) % people.length]!;
              const page = i % 2 === 0;
              const path = page ? "/dashboard" : "/api/auth/session";
              try {
                const response = await fetch(`${devOrigin}${path}`, { headers: { cookie: person.cookie }, redirect: "manual", signal: AbortSignal.timeout(120_000) });
                const body = await response.text();
                answered += 1;
                if (response.status !== 200) failures.push(`${path} for ${person.email}: ${response.status} ${body.slice(0, 200)}`);
                else if (page ? !body.includes(person.email) : (JSON.parse(body) as { user: { email: string } }).user.email !== person.email)
                  failures.push(`${path} for ${person.email} answered with another user's page or session`);
              } catch (error) {
                failures.push(`${path} for ${person.email} failed: ${error instanceof Error ? error.message : String(error)}`);
              }
            }),
          );
        }
      });
      expect(failures).toEqual([]);
      expect(answered).toBe(100);
      expect(devOutput).not.toMatch(/prepared statement|portal .* does not exist|Connection terminated/);
    });
  },
  { postgres: false },
);
