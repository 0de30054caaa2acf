/**
 * Teams in the browser: an owner invites a newcomer, who opens the mailed link, signs up, verifies,
 * accepts and lands in the team; both see the membership. Plus the refusal for someone signed in with
 * another address, the forms without JavaScript, and the axe audit of the new pages.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeInBrowser, launchChromium, newContext, seriousAccessibilityFindings, unlabelledControls } from "../support/browser";
import { startE2eServer, type E2eServer } from "../support/e2e-server";
import { fillSignUp, mainText, newEmail, newPassword, open, press, see, signUp, verifyFromMail, waitForPath } from "./steps";

jest.setTimeout(180_000);

const INVITE_SUBJECT = /^Join /;

describeInBrowser("teams and invitations in the browser", () => {
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

  async function verifiedOwner(label: string): Promise<{ page: Page; email: string }> {
    const owner = await page();
    const email = newEmail(label);
    const mails = await signUp(owner, server, email, newPassword());
    await verifyFromMail(owner, server, email, mails);
    return { page: owner, email };
  }

  async function createTeam(owner: Page, name: string): Promise<void> {
    await owner.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Teams" }).click();
    await waitForPath(owner, "/dashboard/teams");
    await owner.getByLabel("Team name").fill(name);
    await press(owner, "Create team");
    await see(owner, "Team created.");
  }

  async function invite(owner: Page, email: string, role = "member"): Promise<number> {
    const before = server.smtp.messages.length;
    await owner.getByLabel("E-mail address").fill(email);
    await owner.getByLabel("Role", { exact: true }).selectOption(role);
    await press(owner, "Send invitation");
    await see(owner, "Invitation sent.");
    return before;
  }

  it("an owner invites a newcomer, who signs up, verifies, accepts, and both see the membership", async () => {
    const { page: owner, email: ownerEmail } = await verifiedOwner("owner");
    await createTeam(owner, "Rockets");
    const teamPath = new URL(owner.url()).pathname;
    const newcomerEmail = newEmail("newcomer");
    const before = await invite(owner, newcomerEmail);
    expect(await mainText(owner)).toContain(newcomerEmail);
    expect(await seriousAccessibilityFindings(owner)).toEqual([]);
    expect(await unlabelledControls(owner)).toEqual([]);

    const mail = await server.mailTo(newcomerEmail, INVITE_SUBJECT, before);
    const link = server.linkIn(mail, "/invite");
    const newcomer = await page();
    await newcomer.goto(link);
    await waitForPath(newcomer, "/invite");
    expect(newcomer.url()).not.toContain("token=");
    const invitation = await mainText(newcomer);
    expect(invitation).toContain("Join Rockets");
    expect(invitation).toContain(`${ownerEmail} invited you`);
    expect(await seriousAccessibilityFindings(newcomer)).toEqual([]);

    await newcomer.getByRole("link", { name: "Create an account" }).click();
    await waitForPath(newcomer, "/sign-up");
    const mailsBefore = server.smtp.messages.length;
    await fillSignUp(newcomer, newcomerEmail, newPassword());
    await waitForPath(newcomer, "/invite");
    await see(newcomer, "Verify your e-mail address to accept.");

    await verifyFromMail(newcomer, server, newcomerEmail, mailsBefore);
    await open(newcomer, server, "/invite");
    await see(newcomer, "Join Rockets");
    await press(newcomer, "Accept and join");
    await waitForPath(newcomer, teamPath);
    await see(newcomer, "Welcome: you joined the team.");
    const asNewcomer = await mainText(newcomer);
    expect(asNewcomer).toContain(ownerEmail);
    expect(asNewcomer).toContain(`${newcomerEmail} (you)`);
    expect(await seriousAccessibilityFindings(newcomer)).toEqual([]);

    await owner.reload();
    const asOwner = await mainText(owner);
    expect(asOwner).toContain(newcomerEmail);
    expect(asOwner).toContain("No pending invitations.");
    expect(asOwner).toContain(`${ownerEmail} invited ${newcomerEmail} as member`);
    expect(asOwner).toContain(`${newcomerEmail} accepted an invitation and joined as member`);

    // The link is spent: opening it again says so in plain words.
    const again = await page();
    await again.goto(link);
    await see(again, "This invitation cannot be used");
  });

  it("tells someone signed in with another address which address the invitation is for", async () => {
    const { page: owner } = await verifiedOwner("owner2");
    await createTeam(owner, "Comets");
    const invitedEmail = newEmail("invited");
    const before = await invite(owner, invitedEmail, "admin");
    const mail = await server.mailTo(invitedEmail, INVITE_SUBJECT, before);

    const { page: other, email: otherEmail } = await verifiedOwner("other");
    await other.goto(server.linkIn(mail, "/invite"));
    await waitForPath(other, "/invite");
    const text = await mainText(other);
    expect(text).toContain(`You are signed in as ${otherEmail}, but this invitation is for ${invitedEmail}`);
    expect(await other.getByRole("button", { name: "Accept and join" }).count()).toBe(0);
    expect(await seriousAccessibilityFindings(other)).toEqual([]);

    // The list of teams, audited with a team in it.
    await owner.getByRole("link", { name: "All teams" }).click();
    await waitForPath(owner, "/dashboard/teams");
    await see(owner, "Comets");
    expect(await seriousAccessibilityFindings(owner)).toEqual([]);
    expect(await unlabelledControls(owner)).toEqual([]);
  });

  it("works without JavaScript: create a team, and see why inviting is blocked and why the last owner cannot leave", async () => {
    const nojs = await page({ javaScriptEnabled: false });
    await open(nojs, server, "/sign-up");
    await fillSignUp(nojs, newEmail("nojs"), newPassword());
    await waitForPath(nojs, "/dashboard");
    await open(nojs, server, "/dashboard/teams");
    await nojs.getByLabel("Team name").fill("Quiet");
    await press(nojs, "Create team");
    await waitForPath(nojs, /^\/dashboard\/teams\/[^/]+\?notice=team-created$/);
    await see(nojs, "Team created.");
    // Not verified yet: the invite form is replaced by the reason and what to do.
    expect(await mainText(nojs)).toContain("Inviting is blocked until you verify your e-mail address.");
    await press(nojs, "Leave team");
    await see(nojs, "A team always keeps at least one owner. Make another member an owner first.");
  });
});
