/**
 * The journeys people take through the dashboard, in Chromium against the built app on PostgreSQL,
 * with every e-mail captured over SMTP and followed like a person would follow it.
 */
import type { Browser, BrowserContext } from "playwright-core";
import { describeInBrowser, launchChromium, newContext } from "../support/browser";
import { startE2eServer, type E2eServer } from "../support/e2e-server";
import {
  fillSignIn,
  formMessage,
  mainText,
  newEmail,
  newPassword,
  open,
  press,
  see,
  RESET_SUBJECT,
  signIn,
  signUp,
  VERIFY_SUBJECT,
  verifyFromMail,
  waitForPath,
} from "./steps";

jest.setTimeout(120_000);

describeInBrowser("account journeys in the browser", () => {
  let server: E2eServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function context(options: Parameters<typeof newContext>[1] = {}): Promise<BrowserContext> {
    const created = await newContext(browser, options);
    contexts.push(created);
    return created;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchChromium()]);
  }, 600_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("signs up, verifies through the e-mailed link, creates an API key, copies its secret, and never sees it again", async () => {
    const email = newEmail("journey");
    const password = newPassword();
    const ctx = await context();
    await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const page = await ctx.newPage();

    const mailsBefore = await signUp(page, server, email, password);
    expect(await mainText(page)).toContain("Not verified");

    // The link is opened in the same browser, as from a mail client on this device.
    await verifyFromMail(page, server, email, mailsBefore);
    await waitForPath(page, "/dashboard");
    const overview = await mainText(page);
    expect(overview).toContain(email);
    expect(overview).toContain("Verified");
    expect(overview).not.toContain("Not verified");
    expect(overview).not.toContain("Please verify your e-mail address");

    await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "API keys" }).click();
    await waitForPath(page, "/dashboard/api-keys");
    await page.getByLabel("Name").fill("CI deploy");
    await press(page, "Create API key");
    const shown = page.getByLabel("Your new API key");
    await shown.waitFor();
    // Shown as text or in a read-only field: either way it is what a person selects and copies.
    const secret = (await shown.evaluate((element) => ("value" in element ? String(element.value) : element.textContent ?? ""))).trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);

    await page.getByRole("button", { name: "Copy key" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    // The key is listed by name under "Your keys".
    expect(await mainText(page)).toContain("CI deploy");

    await page.reload();
    await page.getByRole("heading", { name: "Your keys" }).waitFor();
    const afterReload = await page.content();
    expect(afterReload).toContain("CI deploy");
    expect(afterReload).not.toContain(secret);
    expect(await page.getByLabel("Your new API key").count()).toBe(0);
  });

  it("the plain sign-in and reset pages are the prerendered ones: their scripts run under the hash policy, nothing is refused, and signing in from there works", async () => {
    const email = newEmail("static");
    const password = newPassword();
    await signUp(await (await context()).newPage(), server, email, password);

    const ctx = await context();
    // Recorded from the first script on (an init script is not subject to the page's CSP).
    await ctx.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const page = await ctx.newPage();
    const hydrated = () => page.evaluate(() => Object.keys(document.querySelector("main form") ?? {}).some((key) => key.startsWith("__react")));
    const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    for (const path of ["/forgot-password", "/sign-in"]) {
      const response = await open(page, server, path);
      const csp = (await response!.allHeaders())["content-security-policy"] ?? "";
      expect([path, /'sha256-/.test(csp), /'nonce-/.test(csp), /'unsafe-inline'/.test(csp)]).toEqual([path, true, false, false]);
      await page.waitForLoadState("networkidle");
      expect([path, await hydrated(), await violations()]).toEqual([path, true, []]);
    }
    // Client-side navigation away and back keeps the address the person sees.
    await page.getByRole("link", { name: "Create an account" }).click();
    await waitForPath(page, "/sign-up");
    await page.getByRole("link", { name: "Sign in" }).click();
    await waitForPath(page, "/sign-in");
    await page.waitForLoadState("networkidle");
    expect(await hydrated()).toBe(true);
    await fillSignIn(page, email, password);
    await waitForPath(page, "/dashboard");
    expect(await violations()).toEqual([]);
    // Signed in, the same address is the proxy's redirect, not the static page.
    await open(page, server, "/sign-in");
    await waitForPath(page, "/dashboard");
  });

  it("signs out everywhere from one device; the other is sent to sign in on its next navigation, then back where it was going", async () => {
    const email = newEmail("two-devices");
    const password = newPassword();
    const laptop = await (await context()).newPage();
    await signUp(laptop, server, email, password);

    const phone = await (await context()).newPage();
    await signIn(phone, server, email, password);
    await waitForPath(phone, "/dashboard");

    await open(laptop, server, "/dashboard/settings");
    await see(laptop, /2 active sessions/);
    await press(laptop, "Sign out everywhere, this device included");
    await waitForPath(laptop, "/sign-in");
    expect(await mainText(laptop)).toContain("You are signed out on every device.");

    // The phone still shows its old page; its next click goes through the server and is refused.
    await phone.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "API keys" }).click();
    await waitForPath(phone, "/sign-in");
    expect(new URL(phone.url()).searchParams.get("next")).toBe("/dashboard/api-keys");

    await fillSignIn(phone, email, password);
    await waitForPath(phone, "/dashboard/api-keys");
    await phone.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
  });

  it("resets a forgotten password from the e-mail: every other device is signed out and the old password stops working", async () => {
    const email = newEmail("forgot");
    const oldPassword = newPassword();
    const newOne = newPassword();
    const first = await (await context()).newPage();
    await signUp(first, server, email, oldPassword);
    const second = await (await context()).newPage();
    await signIn(second, server, email, oldPassword);

    const resetter = await (await context()).newPage();
    const mailsBefore = server.smtp.messages.length;
    await open(resetter, server, "/sign-in");
    await resetter.getByRole("link", { name: "Forgot your password?" }).click();
    await waitForPath(resetter, "/forgot-password");
    await resetter.getByLabel("E-mail address").fill(email);
    await press(resetter, "Send reset link");
    expect(await formMessage(resetter, "success")).toContain(`If an account exists for ${email}`);

    const mail = await server.mailTo(email, RESET_SUBJECT, mailsBefore);
    await resetter.goto(server.linkIn(mail, "/reset-password"));
    await resetter.getByLabel("New password").fill(newOne);
    await press(resetter, "Set new password");
    await waitForPath(resetter, "/sign-in");
    expect(await mainText(resetter)).toContain("Your password was changed and every session was signed out.");

    for (const device of [first, second]) {
      await open(device, server, "/dashboard/settings");
      await waitForPath(device, "/sign-in");
    }

    await fillSignIn(first, email, oldPassword);
    expect(await formMessage(first)).toContain("The e-mail address or password is wrong.");
    expect(await first.getByLabel("E-mail address").inputValue()).toBe(email);

    await fillSignIn(first, email, newOne);
    await waitForPath(first, "/dashboard/settings");
  });

  it("tells an unverified user why API keys are blocked, and sends a new link on request", async () => {
    const email = newEmail("unverified");
    const password = newPassword();
    const page = await (await context()).newPage();
    const mailsBefore = await signUp(page, server, email, password);
    await server.mailTo(email, VERIFY_SUBJECT, mailsBefore);

    await open(page, server, "/dashboard/api-keys");
    const text = await mainText(page);
    expect(text).toContain("Creating API keys is blocked until you verify your e-mail address.");
    expect(text).toContain(email);
    expect(await page.getByRole("button", { name: "Create API key" }).count()).toBe(0);

    const beforeResend = server.smtp.messages.length;
    await press(page, "Send a new verification link");
    expect(await formMessage(page, "success")).toMatch(/sent|new link/i);
    await server.mailTo(email, VERIFY_SUBJECT, beforeResend);

    // The new link is the one that works.
    await verifyFromMail(page, server, email, beforeResend);
    await open(page, server, "/dashboard/api-keys");
    await page.getByRole("button", { name: "Create API key" }).waitFor();
  });

  it("opens a deep link to settings while signed out, signs in, and lands on settings", async () => {
    const email = newEmail("deep-link");
    const password = newPassword();
    const setup = await (await context()).newPage();
    await signUp(setup, server, email, password);

    const page = await (await context()).newPage();
    await open(page, server, "/dashboard/settings");
    await waitForPath(page, "/sign-in");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/dashboard/settings");
    await fillSignIn(page, email, password);
    await waitForPath(page, "/dashboard/settings");
    await page.getByRole("heading", { name: "Security settings", level: 1 }).waitFor();
  });
});
