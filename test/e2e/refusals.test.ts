/**
 * When the product says no, the page says what happened and what to do, in words a person
 * understands, and keeps what they typed (never the password). One server with the shortest link
 * lifetimes the product accepts (60 s) and low limits, so expiry and throttling happen within a test.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeInBrowser, launchChromium, newContext, screenshot, seriousAccessibilityFindings } from "../support/browser";
import { startE2eServer, type E2eServer } from "../support/e2e-server";
import {
  expectPlainWords,
  fillSignIn,
  fillSignUp,
  formMessage,
  newEmail,
  newPassword,
  open,
  press,
  RESET_SUBJECT,
  signUp,
  VERIFY_SUBJECT,
  waitForPath,
} from "./steps";

jest.setTimeout(150_000);

const LINK_LIFETIME_SECONDS = 60;

describeInBrowser("refusals in plain words", () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Links mailed before the other tests run, so their lifetime runs out meanwhile. */
  const expiring = { email: newEmail("expiring"), verifyLink: "", resetLink: "", mailedAt: 0 };

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startE2eServer({
        env: {
          VERIFY_TOKEN_TTL: String(LINK_LIFETIME_SECONDS),
          RESET_TOKEN_TTL: String(LINK_LIFETIME_SECONDS),
          RATE_LIMIT_SCALE: "1",
          // Five failures cost nothing, the sixth buys a wait, the seventh locks the account.
          RATE_LIMIT_SIGN_IN_LOCK_AFTER: "7",
          RATE_LIMIT_EMAIL_PER_ACCOUNT: "2",
        },
      }),
      launchChromium(),
    ]);
    const ctx = await newContext(browser);
    const setup = await ctx.newPage();
    const first = await signUp(setup, server, expiring.email, newPassword());
    expiring.verifyLink = server.linkIn(await server.mailTo(expiring.email, VERIFY_SUBJECT, first), "/verify-email");
    const beforeReset = server.smtp.messages.length;
    await open(setup, server, "/forgot-password");
    await setup.getByLabel("E-mail address").fill(expiring.email);
    await press(setup, "Send reset link");
    expiring.resetLink = server.linkIn(await server.mailTo(expiring.email, RESET_SUBJECT, beforeReset), "/reset-password");
    expiring.mailedAt = Date.now();
    await ctx.close();
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
  });

  async function accountWith(password: string, label: string): Promise<string> {
    const email = newEmail(label);
    const ctx = await newContext(browser);
    await signUp(await ctx.newPage(), server, email, password);
    await ctx.close();
    return email;
  }

  it("a wrong password: says the address or password is wrong, keeps the address, empties the password", async () => {
    const password = newPassword();
    const email = await accountWith(password, "wrong");
    await open(page, server, "/sign-in");
    await fillSignIn(page, email, `${password}x`);
    const message = await formMessage(page);
    expect(message).toBe("The e-mail address or password is wrong. Check both and try again.");
    expectPlainWords(message);
    expect(await page.getByLabel("E-mail address").inputValue()).toBe(email);
    expect(await page.getByLabel("Password", { exact: true }).inputValue()).toBe("");
    expect(await page.getByRole("link", { name: "Forgot your password?" }).isVisible()).toBe(true);
    await screenshot(page, "sign-in-wrong-password");
  });

  it("a weak password: says why next to the field, keeps the address", async () => {
    const email = newEmail("weak");
    await open(page, server, "/sign-up");
    for (const [password, reason] of [
      ["short", /at least 8 characters/i],
      ["password123", /too common/i],
      [email, /e-mail address/i],
    ] as const) {
      await fillSignUp(page, email, password);
      const field = page.getByLabel("Password", { exact: true });
      await page.waitForFunction(
        (expected) => (document.getElementById("password-error")?.textContent ?? "").match(new RegExp(expected, "i")) !== null,
        reason.source,
        { timeout: 15_000 },
      );
      const error = await page.locator("#password-error").innerText();
      expectPlainWords(error);
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      // The reason is read out with the field, not only shown near it.
      expect(await field.getAttribute("aria-describedby")).toContain("password-error");
      expect(await page.getByLabel("E-mail address").inputValue()).toBe(email);
    }
    await screenshot(page, "sign-up-weak-password");
    expect(await page.evaluate(() => location.pathname)).toBe("/sign-up");
  });

  it("repeated failures: asks to wait, then to reset the password, always with the address filled in", async () => {
    const password = newPassword();
    const email = await accountWith(password, "throttled");
    await open(page, server, "/sign-in");
    for (let failure = 1; failure <= 6; failure++) {
      await fillSignIn(page, email, `${password}-${failure}`);
      await page.getByRole("main").getByRole("alert").filter({ hasText: "wrong" }).waitFor();
    }

    // Right away after the sixth failure, even the right password has to wait.
    await fillSignIn(page, email, password);
    const wait = page.getByRole("main").getByRole("alert").filter({ hasText: "Too many attempts" });
    await wait.waitFor();
    const waitMessage = (await wait.innerText()).trim();
    expect(waitMessage).toMatch(/^Too many attempts\. Wait \d+ seconds? and try again\.$/);
    expectPlainWords(waitMessage);
    expect(await page.getByLabel("E-mail address").inputValue()).toBe(email);
    await screenshot(page, "sign-in-too-many-attempts");

    // One more failure after the wait locks the account until a password reset.
    await page.waitForTimeout(2500);
    await fillSignIn(page, email, `${password}-7`);
    await page.getByRole("main").getByRole("alert").filter({ hasText: "wrong" }).waitFor();
    await fillSignIn(page, email, password);
    const locked = page.getByRole("main").getByRole("alert").filter({ hasText: "Reset your password" });
    await locked.waitFor();
    const lockedMessage = (await locked.innerText()).trim();
    expect(lockedMessage).toBe("Too many failed sign-ins for this account. Reset your password to sign in again.");
    expect(await page.getByLabel("E-mail address").inputValue()).toBe(email);
    await page.getByRole("main").getByRole("link", { name: "Reset your password" }).click();
    await waitForPath(page, "/forgot-password");
    expect(await seriousAccessibilityFindings(page)).toEqual([]);
  });

  it("too many verification e-mails: says to wait and for how long", async () => {
    const email = newEmail("mail-limit");
    await signUp(page, server, email, newPassword());
    // Two mails an hour per account: the sign-up mail and one resend at most, then a refusal.
    let refusal = "";
    for (let attempt = 0; attempt < 3 && !refusal; attempt++) {
      await press(page, "Send a new verification link");
      const answer = page.getByRole("main").getByRole("alert").or(page.getByRole("main").getByRole("status")).filter({ hasText: /\S/ }).first();
      await answer.waitFor();
      if ((await answer.getAttribute("role")) === "alert") refusal = (await answer.innerText()).trim();
    }
    expect(refusal).toMatch(/^We have already sent several links\. Wait (\d+ minutes?|1 hour) before asking for another\.$/);
    expectPlainWords(refusal);
    await screenshot(page, "dashboard-too-many-verification-mails");
  });

  it("expired links: the verification and reset pages say the link is no longer valid and how to get a new one", async () => {
    const waitMs = expiring.mailedAt + (LINK_LIFETIME_SECONDS + 2) * 1000 - Date.now();
    if (waitMs > 0) await page.waitForTimeout(waitMs);

    await page.goto(expiring.verifyLink);
    await press(page, "Confirm my e-mail address");
    const verifyMessage = await formMessage(page);
    expect(verifyMessage).toBe("This link is invalid, was already used or has expired. Ask for a new one.");
    expectPlainWords(verifyMessage);
    // A way to a new link is right there: the page that sends one, or the account page that does.
    const onwards = await page.getByRole("main").getByRole("link").evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
    expect(onwards.some((path) => path === "/verify-email" || path === "/dashboard")).toBe(true);
    await screenshot(page, "verify-email-expired-link");

    await page.goto(expiring.resetLink);
    await page.getByLabel("New password").fill(newPassword());
    await press(page, "Set new password");
    const resetMessage = await formMessage(page);
    expect(resetMessage).toBe("This link is invalid, was already used or has expired. Ask for a new one.");
    await page.getByRole("main").getByRole("link", { name: "Ask for a new reset link" }).click();
    await waitForPath(page, "/forgot-password");
  });
});
