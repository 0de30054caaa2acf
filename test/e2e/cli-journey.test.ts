/**
 * The journey the device flow is for, in Chromium: the command-line client prints a code, a signed-in
 * user with a verified address approves it on /device, and the client's `whoami` shows that user.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeInBrowser, launchChromium, newContext, ROOT } from "../support/browser";
import { startE2eServer, type E2eServer } from "../support/e2e-server";
import { mainText, newEmail, newPassword, open, press, see, signUp, verifyFromMail } from "./steps";

jest.setTimeout(120_000);

function runCli(credentials: string, ...args: string[]) {
  const child = spawn(process.execPath, [join(ROOT, "cli/nextauth-hex.mjs"), ...args], {
    env: { ...process.env, NEXTAUTH_HEX_CREDENTIALS: credentials },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exit = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
  return { output: () => output, exit };
}

describeInBrowser("signing in the command-line client from the browser", () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let home: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    home = await mkdtemp(join(tmpdir(), "cli-journey-"));
  }, 600_000);
  beforeEach(async () => {
    context = await newContext(browser);
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it("the CLI prints a code, the user approves it on /device, and whoami shows the user", async () => {
    const email = newEmail("cli-journey");
    const password = newPassword();
    const after = await signUp(page, server, email, password);
    await verifyFromMail(page, server, email, after);

    const credentials = join(home, "credentials.json");
    const login = runCli(credentials, "login", "--url", server.url);
    let code: string | undefined;
    for (let i = 0; i < 100 && !code; i++) {
      code = /enter the code: ([A-Z]{4}-[A-Z]{4})/.exec(login.output())?.[1];
      if (!code) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(code).toBeDefined();

    await open(page, server, "/device");
    await page.getByLabel("Code").fill(code!);
    await press(page, "Continue");
    await see(page, "Approve this device?");
    expect(await mainText(page)).toContain(code!);
    await press(page, "Approve");
    await see(page, "Device approved");

    expect(await login.exit).toBe(0);
    expect(login.output()).toContain(`Signed in as ${email}`);
    const whoami = runCli(credentials, "whoami");
    expect(await whoami.exit).toBe(0);
    expect(whoami.output()).toContain(email);
  });
});
