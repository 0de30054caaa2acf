/**
 * The /device page (RFC 8628 verification), in Chromium with JavaScript off: the link with the code,
 * sign-in in between, what the page shows to tell a real device from a phisher's, the step-up through
 * /reauthenticate when the session is no longer fresh, Approve and Deny, and the device listed and
 * signed out on the settings page.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeInBrowser, launchChromium, newContext } from "../support/browser";
import { startE2eServer, type E2eServer } from "../support/e2e-server";
import { fillSignIn, formMessage, mainText, newEmail, newPassword, open, press, see, signUp, verifyFromMail, waitForPath } from "./steps";

jest.setTimeout(120_000);

const GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/** The step-up window of this suite's app: short, so one test can wait it out. */
const FRESH_SECONDS = 40;

describeInBrowser("approving a device on /device, JavaScript off", () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer({ env: { FRESH_AUTH_MAX_AGE: String(FRESH_SECONDS) } }), launchChromium()]);
  }, 600_000);
  beforeEach(async () => {
    context = await newContext(browser, { javaScriptEnabled: false });
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function post(path: string, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${server.url}${path}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  const startDevice = async () => (await post("/api/oauth/device/code", { client_id: "cli" })).body as Record<string, string>;
  const pollOnce = (deviceCode: string) => post("/api/oauth/token", { grant_type: GRANT, client_id: "cli", device_code: deviceCode });
  const me = async (token: string) => {
    const response = await fetch(`${server.url}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as { user?: { email: string } } };
  };

  async function verifiedUser(label: string): Promise<{ email: string; password: string }> {
    const email = newEmail(label);
    const password = newPassword();
    const after = await signUp(page, server, email, password);
    await verifyFromMail(page, server, email, after);
    return { email, password };
  }

  it("opens the complete link, shows client, IP, time and code, and approves from a fresh session", async () => {
    const { email } = await verifiedUser("device-approve");
    const started = await startDevice();

    await page.goto(started.verification_uri_complete!);
    await waitForPath(page, "/device");
    expect(page.url()).not.toContain("user_code");
    const text = await mainText(page);
    expect(text).toContain("Approve this device?");
    expect(text).toContain("nextauth-hex command line");
    expect(text).toContain(started.user_code);
    expect(text).toMatch(/127\.0\.0\.1|::1/);

    expect((await pollOnce(started.device_code!)).body.error).toBe("authorization_pending");
    await press(page, "Approve");
    await see(page, "Device approved");
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const token = await pollOnce(started.device_code!);
    expect(token.status).toBe(200);
    const access = token.body.access_token as string;
    expect((await me(access)).body.user?.email).toBe(email);

    await open(page, server, "/dashboard/settings");
    const row = page.getByTestId("device-row");
    await row.waitFor();
    expect(await row.innerText()).toContain("nextauth-hex command line");
    await row.getByRole("button", { name: /Sign out/ }).click();
    await see(page, "The device was signed out.");
    expect((await me(access)).status).toBe(401);
  });

  it("takes a typed code in any case, and Deny kills it", async () => {
    await verifiedUser("device-deny");
    const started = await startDevice();
    await open(page, server, "/device");
    await page.getByLabel("Code").fill(started.user_code!.toLowerCase().replace("-", " "));
    await press(page, "Continue");
    await see(page, started.user_code!);
    await press(page, "Deny");
    await see(page, "Device denied");
    expect((await pollOnce(started.device_code!)).body.error).toBe("access_denied");

    await open(page, server, "/device");
    await page.getByLabel("Code").fill(started.user_code!);
    await press(page, "Continue");
    expect(await formMessage(page)).toContain("This code is not valid or has expired");
  });

  it("sends a signed-out visitor through sign-in and back with the code, and asks an unverified one to verify first", async () => {
    const email = newEmail("device-later");
    const password = newPassword();
    const after = await signUp(page, server, email, password);
    const started = await startDevice();

    const elsewhere = await newContext(browser, { javaScriptEnabled: false });
    const device = await elsewhere.newPage();
    await device.goto(started.verification_uri_complete!);
    await waitForPath(device, "/sign-in");
    await fillSignIn(device, email, password);
    await waitForPath(device, "/device");
    await see(device, "Verify your e-mail address first");

    await verifyFromMail(page, server, email, after);
    await device.goto(`${server.url}/device`);
    const text = await mainText(device);
    expect(text).toContain("Approve this device?");
    expect(text).toContain(started.user_code);
    await elsewhere.close();
  });

  it("sends a session past FRESH_AUTH_MAX_AGE through /reauthenticate and back to the same code before it can approve", async () => {
    const { password } = await verifiedUser("device-step-up");
    await new Promise((resolve) => setTimeout(resolve, (FRESH_SECONDS + 1) * 1000));
    const started = await startDevice();

    await page.goto(started.verification_uri_complete!);
    await waitForPath(page, "/reauthenticate");
    expect(await mainText(page)).toContain("Confirm it is you");
    await page.getByLabel("Password").fill("not my password at all");
    await press(page, "Confirm and continue");
    await see(page, "This is not your password");
    expect((await pollOnce(started.device_code!)).body.error).toBe("authorization_pending");

    await page.getByLabel("Password").fill(password);
    await press(page, "Confirm and continue");
    await waitForPath(page, "/device");
    const text = await mainText(page);
    expect(text).toContain("Approve this device?");
    expect(text).toContain(started.user_code);
    await press(page, "Approve");
    await see(page, "Device approved");
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await pollOnce(started.device_code!)).status).toBe(200);
  });
});
