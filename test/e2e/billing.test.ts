/**
 * Billing in the browser on the dev checkout (the stand-in for Stripe that needs no account): a
 * verified owner upgrades, pays, sees "Pro" on the team page, cancels at period end and sees the end
 * date; the same with JavaScript off. The server runs outside production (NODE_ENV=test) without
 * Stripe variables, which is when the dev checkout is the default.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeInBrowser, launchChromium, newContext, seriousAccessibilityFindings } from "../support/browser";
import { startE2eServer, type E2eServer } from "../support/e2e-server";
import { mainText, newEmail, newPassword, open, press, see, signUp, verifyFromMail, waitForPath } from "./steps";

jest.setTimeout(180_000);

describeInBrowser("team billing on the dev checkout", () => {
  let server: E2eServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function page(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    const created = await newContext(browser, options);
    contexts.push(created);
    return created.newPage();
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startE2eServer({ env: { NODE_ENV: "test", STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, STRIPE_PRICE_PRO: undefined } }),
      launchChromium(),
    ]);
  }, 600_000);
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A verified owner of a new team, on the team's page. */
  async function ownerWithTeam(label: string, options: Parameters<typeof newContext>[1] = {}): Promise<{ owner: Page; teamPath: string }> {
    const owner = await page(options);
    const email = newEmail(label);
    const mails = await signUp(owner, server, email, newPassword());
    await verifyFromMail(owner, server, email, mails);
    await open(owner, server, "/dashboard/teams");
    await owner.getByLabel("Team name").fill("Rockets");
    await press(owner, "Create team");
    await see(owner, "Team created.");
    return { owner, teamPath: new URL(owner.url()).pathname };
  }

  it("a verified owner upgrades, pays, sees Pro, cancels at period end and sees the end date", async () => {
    const { owner, teamPath } = await ownerWithTeam("payer");
    expect(await owner.getByTestId("pro-badge").count()).toBe(0);
    await owner.getByRole("main").getByRole("link", { name: "Billing" }).click();
    await waitForPath(owner, `${teamPath}/billing`);
    expect(await owner.getByTestId("billing-plan").innerText()).toBe("Free");
    expect(await seriousAccessibilityFindings(owner)).toEqual([]);

    await press(owner, "Upgrade to Pro");
    await waitForPath(owner, "/dev/billing");
    const checkout = await mainText(owner);
    expect(checkout).toContain("Rockets");
    expect(checkout).toContain("Pro");
    expect(checkout).toContain("$10.00 / month");
    expect(await seriousAccessibilityFindings(owner)).toEqual([]);

    await press(owner, "Pay");
    await waitForPath(owner, `${teamPath}/billing`);
    await see(owner, "Thank you: the payment went through.");
    expect(await owner.getByTestId("billing-plan").innerText()).toBe("Pro");
    expect(await owner.getByTestId("billing-status").innerText()).toBe("Active");
    const renews = await owner.getByTestId("billing-period").innerText();
    expect(await mainText(owner)).toContain(`Renews on ${renews}`);

    await owner.getByRole("link", { name: "← Rockets" }).click();
    await waitForPath(owner, teamPath);
    expect(await owner.getByTestId("pro-badge").innerText()).toBe("Pro");

    await open(owner, server, `${teamPath}/billing`);
    await press(owner, "Manage billing");
    await waitForPath(owner, "/dev/billing");
    await press(owner, "Cancel at period end");
    await waitForPath(owner, `${teamPath}/billing`);
    await see(owner, "The subscription was updated.");
    const ends = await owner.getByTestId("billing-ends").innerText();
    expect(ends).toBe(`The subscription ends on ${renews} and will not renew. The team keeps Pro until then.`);
    expect(await mainText(owner)).toContain(`Ends on ${renews}`);
    // Still paid for until then: the badge stays.
    await open(owner, server, teamPath);
    expect(await owner.getByTestId("pro-badge").innerText()).toBe("Pro");
    const rows = await server.query<{ status: string; cancel_at_period_end: boolean }>("SELECT status, cancel_at_period_end FROM team_subscriptions");
    expect(rows).toContainEqual({ status: "active", cancel_at_period_end: true });
  });

  it("works with JavaScript off: upgrade, pay, cancel now, and the badge goes", async () => {
    const { owner, teamPath } = await ownerWithTeam("nojs", { javaScriptEnabled: false });
    await open(owner, server, `${teamPath}/billing`);
    await owner.getByRole("button", { name: "Upgrade to Pro" }).click();
    await waitForPath(owner, "/dev/billing");
    await owner.getByRole("button", { name: "Pay" }).click();
    await waitForPath(owner, `${teamPath}/billing`);
    expect(await owner.getByTestId("billing-plan").innerText()).toBe("Pro");
    await owner.getByRole("button", { name: "Manage billing" }).click();
    await waitForPath(owner, "/dev/billing");
    await owner.getByRole("button", { name: "Cancel now" }).click();
    await waitForPath(owner, `${teamPath}/billing`);
    expect(await owner.getByTestId("billing-plan").innerText()).toBe("Free");
    expect(await owner.getByTestId("billing-status").innerText()).toBe("Canceled");
    await open(owner, server, teamPath);
    expect(await owner.getByTestId("pro-badge").count()).toBe(0);
  });

  it("a forged dev checkout link shows no button and does nothing", async () => {
    const { owner, teamPath } = await ownerWithTeam("viewer");
    await open(owner, server, `${teamPath}/billing`);
    await press(owner, "Upgrade to Pro");
    await waitForPath(owner, "/dev/billing");
    const link = new URL(owner.url());
    const forged = await page();
    await forged.goto(`${server.url}/dev/billing?session=${encodeURIComponent(`x${link.searchParams.get("session")}`)}`);
    await see(forged, "This checkout link is invalid or has expired.");
    expect(await forged.getByRole("button", { name: "Pay" }).count()).toBe(0);
  });
});
