/**
 * Forms work without JavaScript (CONTRACT: Pages). A browser with scripts off posts the plain HTML
 * forms; the server answers with the next page or the same page with its message.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeInBrowser, launchChromium, newContext } from "../support/browser";
import { startE2eServer, type E2eServer } from "../support/e2e-server";
import { fillSignIn, fillSignUp, formMessage, mainText, newEmail, newPassword, open, see, waitForPath } from "./steps";

jest.setTimeout(120_000);

describeInBrowser("the forms with JavaScript off", () => {
  let server: E2eServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchChromium()]);
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

  it("signs up, signs out and signs in again", async () => {
    const email = newEmail("no-js");
    const password = newPassword();
    await open(page, server, "/sign-up");

    await fillSignUp(page, email, password);
    await waitForPath(page, "/dashboard");
    expect(await mainText(page)).toContain(email);

    await page.getByRole("button", { name: "Sign out" }).click();
    await waitForPath(page, "/sign-in");
    await see(page, "You are signed out.");

    await open(page, server, "/dashboard");
    await waitForPath(page, "/sign-in");
    await fillSignIn(page, email, password);
    await waitForPath(page, "/dashboard");
    expect(await mainText(page)).toContain(email);
  });

  it("shows a refused sign-in with its reason and the e-mail address still filled in", async () => {
    const email = newEmail("no-js-wrong");
    const password = newPassword();
    await open(page, server, "/sign-up");
    // The page's own scripts really did not run: Next.js's client inserts its route announcer,
    // which is there in a browser with scripts on.
    expect(await page.locator("next-route-announcer").count()).toBe(0);
    const scripted = await newContext(browser);
    const withScripts = await scripted.newPage();
    await open(withScripts, server, "/sign-up");
    await withScripts.locator("next-route-announcer").waitFor({ state: "attached" });
    await scripted.close();

    await fillSignUp(page, email, password);
    await waitForPath(page, "/dashboard");
    await page.getByRole("button", { name: "Sign out" }).click();
    await waitForPath(page, "/sign-in");

    await fillSignIn(page, email, `${password}-not`);
    expect(await formMessage(page)).toContain("The e-mail address or password is wrong.");
    expect(await page.getByLabel("E-mail address").inputValue()).toBe(email);
    expect(await page.getByLabel("Password", { exact: true }).inputValue()).toBe("");
  });

  it("refuses a weak password on sign-up next to the field, keeping the address", async () => {
    const email = newEmail("no-js-weak");
    await open(page, server, "/sign-up");
    await fillSignUp(page, email, "password123");
    const field = page.getByLabel("Password", { exact: true });
    await page.locator("#password-error").waitFor();
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#password-error").innerText()).toMatch(/common|guess/i);
    expect(await page.getByLabel("E-mail address").inputValue()).toBe(email);
  });
});
