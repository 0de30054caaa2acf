/**
 * Every page, signed out and signed in (verified and not), audited with axe for serious and
 * critical WCAG problems, checked for unlabelled inputs and sideways scrolling on a phone, and
 * photographed at desktop and phone widths into .e2e-artifacts/screenshots/. Then the keyboard:
 * signing in with Tab and Enter only, and focus on the first error after a refused submit.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  DESKTOP,
  describeInBrowser,
  focusedElement,
  launchChromium,
  newContext,
  PHONE,
  screenshot,
  SCREENSHOT_DIR,
  seriousAccessibilityFindings,
  unlabelledControls,
  type Viewport,
} from "../support/browser";
import { startE2eServer, type E2eServer } from "../support/e2e-server";
import { newEmail, newPassword, open, press, RESET_SUBJECT, signUp, VERIFY_SUBJECT, verifyFromMail, waitForPath } from "./steps";

jest.setTimeout(180_000);

interface PageCheck {
  readonly name: string;
  /** Brings the page on screen (a path, or steps that lead to a state of it). */
  readonly show: (page: Page) => Promise<unknown>;
}

describeInBrowser("accessibility and looks of every page", () => {
  let server: E2eServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function context(): Promise<BrowserContext> {
    const created = await newContext(browser);
    contexts.push(created);
    return created;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchChromium()]);
  }, 600_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.stop();
    console.log(`Screenshots of every page: ${SCREENSHOT_DIR}`);
  });

  /**
   * Shows each page at both widths in `ctx`: screenshots, inputs without a label, sideways
   * scrolling on the phone, and axe at the desktop width. Collects every problem, so one run lists
   * them all instead of stopping at the first page.
   */
  async function checkPages(ctx: BrowserContext, prefix: string, checks: PageCheck[]): Promise<string[]> {
    const problems: string[] = [];
    const page = await ctx.newPage();
    for (const check of checks) {
      for (const viewport of [DESKTOP, PHONE] as Viewport[]) {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await check.show(page);
        await page.getByRole("main").waitFor();
        await page.waitForFunction(() => !document.querySelector("main")?.textContent?.trim().startsWith("Loading"));
        const name = `${prefix}-${check.name}`;
        await screenshot(page, name, viewport);
        for (const control of await unlabelledControls(page)) problems.push(`${name} (${viewport.name}): input without a label: ${control}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) problems.push(`${name} (${viewport.name}): scrolls sideways by ${overflow}px`);
        if (viewport === DESKTOP) {
          for (const finding of await seriousAccessibilityFindings(page)) {
            problems.push(`${name}: [${finding.impact}] ${finding.rule}: ${finding.help}\n    ${finding.targets.join("\n    ")}`);
          }
        }
      }
    }
    await page.close();
    return problems;
  }

  const go = (path: string) => (page: Page) => open(page, server, path);

  it("signed out: every page passes", async () => {
    const email = newEmail("a11y-links");
    const password = newPassword();
    const setup = await (await context()).newPage();
    const first = await signUp(setup, server, email, password);
    const verifyLink = server.linkIn(await server.mailTo(email, VERIFY_SUBJECT, first), "/verify-email");
    const beforeReset = server.smtp.messages.length;
    await open(setup, server, "/forgot-password");
    await setup.getByLabel("E-mail address").fill(email);
    await press(setup, "Send reset link");
    const resetLink = server.linkIn(await server.mailTo(email, RESET_SUBJECT, beforeReset), "/reset-password");

    const problems = await checkPages(await context(), "signed-out", [
      { name: "home", show: go("/") },
      { name: "sign-in", show: go("/sign-in") },
      { name: "sign-in-after-sign-out", show: go("/sign-in?notice=signed-out") },
      { name: "sign-up", show: go("/sign-up") },
      { name: "forgot-password", show: go("/forgot-password") },
      {
        name: "forgot-password-sent",
        show: async (page) => {
          await open(page, server, "/forgot-password");
          await page.getByLabel("E-mail address").fill(newEmail("nobody"));
          await press(page, "Send reset link");
        },
      },
      { name: "reset-password-without-token", show: go("/reset-password") },
      { name: "reset-password", show: (page) => page.goto(resetLink) },
      { name: "verify-email", show: go("/verify-email") },
      { name: "verify-email-confirm", show: (page) => page.goto(verifyLink) },
      { name: "not-found", show: go("/no-such-page") },
      {
        name: "sign-in-refused",
        show: async (page) => {
          await open(page, server, "/sign-in");
          await page.getByLabel("E-mail address").fill(email);
          await page.getByLabel("Password", { exact: true }).fill(`${password}x`);
          await press(page, "Sign in");
        },
      },
      {
        name: "sign-up-refused",
        show: async (page) => {
          await open(page, server, "/sign-up");
          await page.getByLabel("E-mail address").fill("not an address");
          await page.getByLabel("Password", { exact: true }).fill("short");
          await press(page, "Create account");
        },
      },
    ]);
    expect(problems).toEqual([]);
  });

  it("signed in, e-mail not verified: every page passes", async () => {
    const ctx = await context();
    await signUp(await ctx.newPage(), server, newEmail("a11y-unverified"), newPassword());
    const problems = await checkPages(ctx, "unverified", [
      { name: "dashboard", show: go("/dashboard") },
      { name: "settings", show: go("/dashboard/settings") },
      { name: "api-keys", show: go("/dashboard/api-keys") },
      { name: "verify-email", show: go("/verify-email") },
      { name: "device-unverified", show: go("/device") },
      {
        name: "verification-resent",
        show: async (page) => {
          await open(page, server, "/dashboard");
          await press(page, "Send a new verification link");
        },
      },
    ]);
    expect(problems).toEqual([]);
  });

  it("signed in, e-mail verified, with keys, two sessions and some history: every page passes", async () => {
    const email = newEmail("a11y-verified");
    const password = newPassword();
    const ctx = await context();
    const page = await ctx.newPage();
    const first = await signUp(page, server, email, password);
    await verifyFromMail(page, server, email, first);
    await open(page, server, "/dashboard/api-keys");
    await page.getByLabel("Name").fill("Nightly backup");
    await press(page, "Create API key");
    // A second device, so settings lists another session with its own sign-out button.
    const other = await (await context()).newPage();
    await open(other, server, "/sign-in");
    await other.getByLabel("E-mail address").fill(email);
    await other.getByLabel("Password", { exact: true }).fill(password);
    await press(other, "Sign in");
    await page.close();

    const problems = await checkPages(ctx, "verified", [
      { name: "dashboard", show: go("/dashboard") },
      { name: "settings", show: go("/dashboard/settings") },
      { name: "api-keys", show: go("/dashboard/api-keys") },
      {
        name: "api-key-created",
        show: async (p) => {
          await open(p, server, "/dashboard/api-keys");
          await p.getByLabel("Name").fill("Deploy from CI");
          await press(p, "Create API key");
          await p.getByLabel("Your new API key").waitFor();
        },
      },
      { name: "verify-email", show: go("/verify-email") },
      { name: "reauthenticate", show: go("/reauthenticate?next=%2Fdashboard%2Fsettings") },
      { name: "confirm-email-without-link", show: go("/confirm-email") },
      {
        name: "email-change-requested",
        show: async (p) => {
          await open(p, server, "/dashboard/settings");
          await p.getByLabel("New e-mail address").fill(newEmail("a11y-moved"));
          await press(p, "Change e-mail address");
          await p.getByRole("status").first().waitFor();
        },
      },
      { name: "device-enter-code", show: go("/device") },
      {
        name: "device-code-refused",
        show: async (p) => {
          await open(p, server, "/device");
          await p.getByLabel("Code").fill("BBBB-BBBB");
          await press(p, "Continue");
          await p.getByRole("alert").first().waitFor();
        },
      },
      {
        name: "device-approve",
        show: async (p) => {
          const started = await fetch(`${server.url}/api/oauth/device/code`, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: "client_id=cli",
          });
          await p.goto(((await started.json()) as { verification_uri_complete: string }).verification_uri_complete);
          await p.getByRole("button", { name: "Approve" }).waitFor();
        },
      },
      {
        name: "change-password-refused",
        show: async (p) => {
          await open(p, server, "/dashboard/settings");
          await p.getByLabel("Current password").fill("not my password");
          await p.getByLabel("New password").fill("password123");
          await press(p, "Change password");
        },
      },
    ]);
    expect(problems).toEqual([]);
  });

  it("the audit itself finds real problems (a page with an unlabelled input and faint text)", async () => {
    const page = await (await context()).newPage();
    await page.setContent(`<!doctype html><html lang="en"><title>t</title><main><p style="color:#ccc;background:#fff">faint</p><input type="text"></main></html>`);
    const rules = (await seriousAccessibilityFindings(page)).map((finding) => finding.rule);
    expect(rules).toEqual(expect.arrayContaining(["color-contrast", "label"]));
    expect(await unlabelledControls(page)).toHaveLength(1);
  });

  it("signs in with the keyboard alone: Tab to each field, type, Enter", async () => {
    const email = newEmail("keyboard");
    const password = newPassword();
    await signUp(await (await context()).newPage(), server, email, password);

    const page = await (await context()).newPage();
    await open(page, server, "/sign-in");
    const tabTo = async (label: string): Promise<number> => {
      for (let presses = 1; presses <= 8; presses++) {
        await page.keyboard.press("Tab");
        const focused = await focusedElement(page);
        const target = await page.getByLabel(label, { exact: true }).evaluate((input) => input.id);
        if (focused.id === target) return presses;
      }
      throw new Error(`Tab never reached "${label}"`);
    };
    // The skip link comes first, so a keyboard user can jump past the header.
    await page.keyboard.press("Tab");
    expect((await focusedElement(page)).text).toBe("Skip to content");
    expect(await tabTo("E-mail address")).toBeLessThanOrEqual(3);
    await page.keyboard.type(email);
    expect(await tabTo("Password")).toBeLessThanOrEqual(2);
    await page.keyboard.type(password);
    await page.keyboard.press("Enter");
    await waitForPath(page, "/dashboard");
  });

  it("moves focus to the first error after a refused submit", async () => {
    const page = await (await context()).newPage();
    await open(page, server, "/sign-up");
    await page.getByLabel("E-mail address").fill(newEmail("focus"));
    await page.getByLabel("Password", { exact: true }).fill("password123");
    await press(page, "Create account");
    await page.waitForFunction(() => document.activeElement?.id === "password", undefined, { timeout: 5000 });
    const onField = await focusedElement(page);
    expect(onField).toMatchObject({ tag: "input", id: "password", invalid: "true" });

    // A refusal about the whole form (no one field is wrong): focus on the message, read out at once.
    await open(page, server, "/sign-in");
    await page.getByLabel("E-mail address").fill(newEmail("nobody"));
    await page.getByLabel("Password", { exact: true }).fill(newPassword());
    await press(page, "Sign in");
    await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "alert", undefined, { timeout: 5000 });
    expect((await focusedElement(page)).text).toBe("The e-mail address or password is wrong. Check both and try again.");
  });
});
