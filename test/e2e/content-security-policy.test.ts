/**
 * The CSP in a real browser. /sign-in is prerendered and served under a policy of its inline scripts'
 * hashes and the build's asset path (no nonce): it must load with no violation and hydrate (its form answers in place), while a
 * script injected into its HTML is blocked. Pages rendered per request keep the per-request nonce.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeInBrowser, launchChromium, newContext } from "../support/browser";
import { startE2eServer, type E2eServer } from "../support/e2e-server";
import { fillSignIn, formMessage, newEmail, newPassword, open, signUp, waitForPath } from "./steps";

jest.setTimeout(120_000);

/** Records CSP violations from the first byte of every document (an init script is not subject to the page's CSP). */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(`console: ${message.text()}`);
  });
  await page.exposeFunction("__reportViolation", (text: string) => seen.push(`event: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportViolation(text: string): void }).__reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return seen;
}

describeInBrowser("the content security policy in Chromium", () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchChromium()]);
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

  it("/sign-in loads under its hash policy without a violation, hydrates, and its form answers in place", async () => {
    const violations = await watchViolations(page);
    const response = await open(page, server, "/sign-in");
    const policy = (await response!.allHeaders())["content-security-policy"] ?? "";
    expect(policy).toMatch(/script-src ('sha256-[^']+' )+http:\/\/[^/ ]+\/_next\/static\/;/);
    expect(policy).not.toContain("'nonce-");
    // Next.js's client inserts its route announcer once it runs.
    await page.locator("next-route-announcer").waitFor({ state: "attached" });
    await fillSignIn(page, newEmail("csp-wrong"), newPassword());
    expect(await formMessage(page)).toContain("The e-mail address or password is wrong.");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(violations).toEqual([]);
  });

  it("signs in from the prerendered page and reaches the dashboard, which has its own nonce, without a violation", async () => {
    const email = newEmail("csp-journey");
    const password = newPassword();
    const first = await context.newPage();
    await signUp(first, server, email, password);
    await first.getByRole("button", { name: "Sign out" }).click();
    await waitForPath(first, "/sign-in");
    await first.close();

    const violations = await watchViolations(page);
    await open(page, server, "/sign-in");
    await page.locator("next-route-announcer").waitFor({ state: "attached" });
    await fillSignIn(page, email, password);
    await waitForPath(page, "/dashboard");
    const dashboard = await open(page, server, "/dashboard");
    expect((await dashboard!.allHeaders())["content-security-policy"]).toMatch(/'nonce-[^']+'/);
    await page.locator("next-route-announcer").waitFor({ state: "attached" });
    expect(violations).toEqual([]);
  });

  it("a script injected into /sign-in's HTML does not run", async () => {
    const violations = await watchViolations(page);
    // What an HTML injection would do: one more inline script in the served page, same headers.
    await page.route("**/sign-in", async (route) => {
      const original = await route.fetch();
      const body = (await original.text()).replace("</body>", "<script>window.__injected = true</script></body>");
      await route.fulfill({ response: original, body });
    });
    await open(page, server, "/sign-in");
    await page.locator("next-route-announcer").waitFor({ state: "attached" });
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    expect(violations.some((v) => /script-src/.test(v))).toBe(true);
  });
});
