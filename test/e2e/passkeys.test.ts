/**
 * Passkeys in Chromium with a virtual authenticator (DevTools protocol, WebAuthn domain: ctap2, internal
 * transport, resident key, user verification): register a passkey on /dashboard/security, sign out, sign
 * in with the passkey alone and land on the dashboard; the same authenticator with user verification off
 * is refused. APP_URL is http://localhost:PORT here: an IP address is not a valid RP ID.
 */
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { describeInBrowser, launchChromium, newContext, seriousAccessibilityFindings } from "../support/browser";
import { startE2eServer, type E2eServer } from "../support/e2e-server";
import { formMessage, newEmail, newPassword, open, see, signUp, waitForPath } from "./steps";

jest.setTimeout(240_000);

describeInBrowser("passkeys in the browser", () => {
  let server: E2eServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer({ appHost: "localhost" }), launchChromium()]);
  }, 600_000);
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A person's browser with a platform authenticator that verifies the user (a fingerprint, say). */
  async function personWithAuthenticator(): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
    const context = await newContext(browser);
    contexts.push(context);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return { page, cdp, authenticatorId };
  }

  async function addPasskey(page: Page, name: string): Promise<void> {
    await open(page, server, "/dashboard/security");
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await see(page, "Your passkey was added.");
    await page.getByTestId("passkey-row").filter({ hasText: name }).waitFor();
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname !== "/dashboard/security" && !url.pathname.startsWith("/dashboard"), { timeout: 15_000 });
  }

  it("registers a passkey, signs out, and signs in with the passkey alone", async () => {
    const { page, cdp, authenticatorId } = await personWithAuthenticator();
    const email = newEmail("passkey");
    await signUp(page, server, email, newPassword());
    await addPasskey(page, "Virtual laptop");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: "localhost" });
    await server.mailTo(email, /passkey was added/i);

    await signOut(page);
    await open(page, server, "/sign-in");
    // The browser may already have answered the passkey offered in the e-mail field (conditional UI);
    // otherwise the button asks.
    const arrived = waitForPath(page, "/dashboard");
    await Promise.race([arrived, page.getByRole("button", { name: "Sign in with a passkey" }).click({ timeout: 10_000 }).catch(() => undefined)]);
    await arrived;
    await see(page, email);
    const session = await page.evaluate(async () => (await fetch("/api/auth/session")).json());
    expect(session.session.authMethods).toEqual(["passkey"]);
    const [{ counter }] = await server.query<{ counter: string }>("SELECT counter FROM passkeys WHERE name = 'Virtual laptop'");
    expect(Number(counter)).toBeGreaterThanOrEqual(1);
  });

  it("refuses the sign-in when the authenticator does not verify the user", async () => {
    const { page, cdp, authenticatorId } = await personWithAuthenticator();
    await signUp(page, server, newEmail("passkey-uv"), newPassword());
    await addPasskey(page, "Unverified");
    // Before signing out: the sign-in page the sign-out lands on offers the passkey in the e-mail field
    // (conditional UI), which the virtual authenticator answers at once, and it must not verify the
    // user in that answer either.
    await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: false });
    await signOut(page);

    await open(page, server, "/sign-in");
    await page.getByRole("button", { name: "Sign in with a passkey" }).click({ timeout: 10_000 }).catch(() => undefined);
    const message = await formMessage(page);
    expect(message).toMatch(/passkey/i);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect((await page.evaluate(async () => (await fetch("/api/auth/session")).status))).toBe(401);
  });

  it("confirms it is you with a passkey on /reauthenticate: a new session id, back where you were", async () => {
    const { page } = await personWithAuthenticator();
    await signUp(page, server, newEmail("passkey-step-up"), newPassword());
    await addPasskey(page, "Step-up key");
    const before = (await page.evaluate(async () => (await fetch("/api/auth/session")).json())).session;
    await open(page, server, "/reauthenticate?next=%2Fdashboard%2Fsecurity");
    await page.getByRole("button", { name: "Use a passkey instead" }).click();
    await waitForPath(page, "/dashboard/security");
    const after = (await page.evaluate(async () => (await fetch("/api/auth/session")).json())).session;
    expect(after.id).not.toBe(before.id);
    expect(after.authMethods).toEqual(["passkey"]);
  });

  it("removes a passkey with the plain form, and the security page passes the accessibility audit", async () => {
    const { page } = await personWithAuthenticator();
    await signUp(page, server, newEmail("passkey-rm"), newPassword());
    await addPasskey(page, "To remove");
    expect(await seriousAccessibilityFindings(page)).toEqual([]);
    await page.getByRole("button", { name: "Remove To remove" }).click();
    await see(page, "The passkey was removed.");
    await see(page, "You have no passkeys.");
    await signOut(page);
    await open(page, server, "/sign-in");
    await page.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
    expect(await seriousAccessibilityFindings(page)).toEqual([]);
  });
});
