/**
 * Two-step verification in Chromium: turning on an authenticator app from the security page (the code
 * computed from the secret the page shows, as an app would), then signing in with the password and a
 * code, and with a recovery code; the same with JavaScript off; the axe audit of the new pages.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeInBrowser, launchChromium, newContext, seriousAccessibilityFindings } from "../support/browser";
import { TestAuthenticator } from "../support/authenticator";
import { startE2eServer, type E2eServer } from "../support/e2e-server";
import { fillSignIn, newEmail, newPassword, open, press, see, signUp, waitForPath } from "./steps";

jest.setTimeout(240_000);

describeInBrowser("two-step verification in the browser", () => {
  let server: E2eServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function page(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    const created = await newContext(browser, options);
    contexts.push(created);
    return created.newPage();
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

  /** On the security page: set up, read the key the page shows, prove it with a code; the recovery codes shown. */
  async function turnOn(tab: Page): Promise<{ app: TestAuthenticator; codes: string[] }> {
    await open(tab, server, "/dashboard/security");
    await see(tab, "Off.");
    await press(tab, "Set up an authenticator app");
    await see(tab, "Almost on.");
    await tab.getByRole("img", { name: /QR code/ }).waitFor();
    const secret = (await tab.getByText("Or type this key into the app:").locator("code").innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const app = new TestAuthenticator(secret);

    await tab.getByLabel("Code the app shows").fill("000000");
    await press(tab, "Turn on two-step verification");
    await see(tab, /That code is not valid/);
    await tab.getByLabel("Code the app shows").fill(await app.nextCode());
    await press(tab, "Turn on two-step verification");
    await see(tab, "Two-step verification is on.");
    const codes = (await tab.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allInnerTexts()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    const download = tab.getByRole("link", { name: "Download the codes" });
    expect(await download.getAttribute("download")).toBe("recovery-codes.txt");
    expect(decodeURIComponent((await download.getAttribute("href"))!)).toContain(codes[9]);
    return { app, codes };
  }

  async function signOut(tab: Page): Promise<void> {
    await tab.getByRole("button", { name: "Sign out", exact: true }).click();
    await waitForPath(tab, "/sign-in");
  }

  it("turns TOTP on, then signs in with the password and a code, and with a recovery code once", async () => {
    const tab = await page();
    const email = newEmail("totp");
    const password = newPassword();
    await signUp(tab, server, email, password);
    await tab.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign-in methods" }).click();
    await waitForPath(tab, "/dashboard/security");
    const { app, codes } = await turnOn(tab);
    await server.mailTo(email, /turned on/);

    await signOut(tab);
    await fillSignIn(tab, email, password);
    await waitForPath(tab, "/sign-in/mfa");
    await tab.getByLabel("Code from your authenticator app").fill("000000");
    await press(tab, "Continue");
    await see(tab, /That code is not valid/);
    await tab.getByLabel("Code from your authenticator app").fill(await app.nextCode());
    await press(tab, "Continue");
    await waitForPath(tab, "/dashboard");
    await see(tab, email);

    await signOut(tab);
    await fillSignIn(tab, email, password);
    await waitForPath(tab, "/sign-in/mfa");
    await tab.getByText("Use a recovery code instead").click();
    await tab.getByLabel("Recovery code").fill(codes[0]!);
    await press(tab, "Sign in with a recovery code");
    await waitForPath(tab, "/dashboard");

    await open(tab, server, "/dashboard/security");
    await see(tab, "9 of 10 recovery codes left.");
    expect(await seriousAccessibilityFindings(tab)).toEqual([]);

    await signOut(tab);
    await fillSignIn(tab, email, password);
    await waitForPath(tab, "/sign-in/mfa");
    expect(await seriousAccessibilityFindings(tab)).toEqual([]);
    await tab.getByText("Use a recovery code instead").click();
    await tab.getByLabel("Recovery code").fill(codes[0]!);
    await press(tab, "Sign in with a recovery code");
    await see(tab, /not valid or was already used/);
  });

  it("does all of it without JavaScript: set-up, turning on, and the second step", async () => {
    const tab = await page({ javaScriptEnabled: false });
    const email = newEmail("totp-nojs");
    const password = newPassword();
    await signUp(tab, server, email, password);
    const { app } = await turnOn(tab);

    await signOut(tab);
    await fillSignIn(tab, email, password);
    await waitForPath(tab, "/sign-in/mfa");
    await tab.getByLabel("Code from your authenticator app").fill(await app.nextCode());
    await press(tab, "Continue");
    await waitForPath(tab, "/dashboard");
    await see(tab, email);
  });
});
