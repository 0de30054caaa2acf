/** The billing use cases on the in-memory adapters, with the dev checkout as the provider. */
import { UnconfiguredBillingProvider, type DevBillingProvider } from "../../../src/infrastructure/billing";
import { createInMemoryAuth, type InMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";
import { aTeam } from "../teams/support";

const tokenOf = (url: string) => new URL(url).searchParams.get("session")!;

/** The newest session of a user: the one a signed-in request would carry (fresh since it was just opened). */
function sessionOf(auth: { db: { tables: { sessions: Map<string, { id: string; userId: string; createdAt: Date }> } } }, userId: string): string {
  const rows = [...auth.db.tables.sessions.values()].filter((row) => row.userId === userId);
  rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return rows[0]?.id ?? "no-session";
}

describe("Billing", () => {
  async function setUp() {
    const t = await aTeam();
    const dev = t.auth.billing as DevBillingProvider;
    const checkout = (userId = t.owner.user.id, plan: unknown = "pro", teamId = t.team.id) =>
      t.auth.useCases.startCheckout.execute({ userId, sessionId: sessionOf(t.auth, userId), teamId, plan });
    const portal = (userId = t.owner.user.id, teamId = t.team.id) => t.auth.useCases.openBillingPortal.execute({ userId, sessionId: sessionOf(t.auth, userId), teamId });
    const billing = (userId = t.owner.user.id) => t.auth.useCases.getTeamBilling.execute({ userId, teamId: t.team.id });
    /** Presses a button on the dev checkout page and delivers its signed event, as the page does. */
    async function press(url: string, action: "pay" | "cancel-at-period-end" | "cancel-now") {
      const delivery = await dev.act(tokenOf(url), action);
      if (!delivery) throw new Error(`${action} refused`);
      return t.auth.useCases.applyBillingEvent.execute({ payload: delivery.payload, signature: delivery.signature });
    }
    return { ...t, dev, checkout, portal, billing, press };
  }

  it("a team starts on the free plan; paying on the dev checkout makes it Pro for 30 days", async () => {
    const { checkout, billing, press, dev, auth, team } = await setUp();
    expect(await billing()).toMatchObject({ ok: true, value: { plan: "free", status: "none", currentPeriodEnd: null, hasBillingAccount: false } });
    const started = await checkout();
    expect(started.ok).toBe(true);
    const url = started.ok ? started.value.url : "";
    expect(url).toMatch(/^http:\/\/localhost:3000\/dev\/billing\?session=/);
    expect(dev.describe(tokenOf(url))).toMatchObject({ mode: "checkout", teamId: team.id, plan: "pro", priceLabel: expect.stringContaining("$10.00") });

    expect(await press(url, "pay")).toEqual({ ok: true, value: "applied" });
    const end = new Date(auth.clock.now().getTime() + 30 * 86400_000);
    expect(await billing()).toMatchObject({ ok: true, value: { plan: "pro", status: "active", currentPeriodEnd: end, cancelAtPeriodEnd: false } });
  });

  it("cancelling at period end keeps Pro until the end date; cancelling now ends it", async () => {
    const { checkout, portal, billing, press } = await setUp();
    const started = await checkout();
    await press(started.ok ? started.value.url : "", "pay");
    const opened = await portal();
    const portalUrl = opened.ok ? opened.value.url : "";
    expect(await press(portalUrl, "cancel-at-period-end")).toEqual({ ok: true, value: "applied" });
    expect(await billing()).toMatchObject({ ok: true, value: { plan: "pro", status: "active", cancelAtPeriodEnd: true } });
    expect(await press(portalUrl, "cancel-now")).toEqual({ ok: true, value: "applied" });
    expect(await billing()).toMatchObject({ ok: true, value: { plan: "free", status: "canceled" } });
  });

  it("applies a redelivered event once, and an event older than the state never undoes it", async () => {
    const { checkout, portal, billing, dev, auth } = await setUp();
    const started = await checkout();
    const paid = await dev.act(tokenOf(started.ok ? started.value.url : ""), "pay");
    if (!paid) throw new Error("pay refused");
    const apply = (delivery: { payload: string; signature: string }) => auth.useCases.applyBillingEvent.execute({ payload: delivery.payload, signature: delivery.signature });
    expect(await apply(paid)).toEqual({ ok: true, value: "applied" });
    expect(await apply(paid)).toEqual({ ok: true, value: "duplicate" });

    const opened = await portal();
    const portalUrl = opened.ok ? opened.value.url : "";
    auth.clock.advance({ seconds: 10 });
    const cancelLater = await dev.act(tokenOf(portalUrl), "cancel-at-period-end");
    auth.clock.advance({ seconds: 10 });
    const cancelNow = await dev.act(tokenOf(portalUrl), "cancel-now");
    if (!cancelLater || !cancelNow) throw new Error("portal refused");
    expect(await apply(cancelNow)).toEqual({ ok: true, value: "applied" });
    // Delivered late and out of order: the older event must not bring Pro back.
    expect(await apply(cancelLater)).toEqual({ ok: true, value: "stale" });
    expect(await billing()).toMatchObject({ ok: true, value: { plan: "free", status: "canceled" } });
  });

  it("only a verified owner reaches the provider; another team is not found; plans come from the list, not the client", async () => {
    const { checkout, portal, join, auth, owner } = await setUp();
    const admin = await join("ada@example.com", "admin");
    expect(await checkout(admin.user.id)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await portal(admin.user.id)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const stranger = await auth.registerUser({ email: "sam@example.com" });
    expect(await checkout(stranger.user.id)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await portal(stranger.user.id)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await checkout(owner.user.id, "enterprise")).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { plan: expect.any(String) } } });
    expect(await checkout(owner.user.id, { plan: "pro", price: 0 })).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    // No account at the provider before a first checkout.
    expect(await portal()).toMatchObject({ ok: false, error: { code: "NO_BILLING_ACCOUNT" } });
  });

  it("checkout and portal need a fresh session: a stale one is refused before the provider is asked", async () => {
    const { checkout, portal, auth, owner, team } = await setUp();
    auth.clock.advance({ seconds: auth.settings.freshAuthMaxAgeSeconds });
    expect(await checkout()).toMatchObject({ ok: false, error: { code: "REAUTHENTICATION_REQUIRED" } });
    expect(await portal()).toMatchObject({ ok: false, error: { code: "REAUTHENTICATION_REQUIRED" } });
    const stepped = await auth.useCases.reauthenticate.execute({ userId: owner.user.id, sessionId: owner.session.id, password: owner.password });
    expect(stepped.ok).toBe(true);
    const started = await checkout();
    expect(started.ok && started.value.url).toContain("/dev/billing");
    expect((await auth.stores.subscriptions.findByTeam(team.id))).toBeNull();
  });

  it("an owner whose address is not verified (read from the store) is refused with EMAIL_NOT_VERIFIED", async () => {
    const auth = createInMemoryAuth() as InMemoryAuth;
    const unverified = await auth.registerUser({ email: "uma@example.com", verified: false });
    const created = await auth.useCases.createTeam.execute({ userId: unverified.user.id, name: "Drafts", context: auth.context });
    const teamId = created.ok ? created.value.team.id : "";
    expect(await auth.useCases.startCheckout.execute({ userId: unverified.user.id, sessionId: sessionOf(auth, unverified.user.id), teamId, plan: "pro" })).toMatchObject({
      ok: false,
      error: { code: "EMAIL_NOT_VERIFIED" },
    });
    expect(await auth.useCases.openBillingPortal.execute({ userId: unverified.user.id, sessionId: sessionOf(auth, unverified.user.id), teamId })).toMatchObject({
      ok: false,
      error: { code: "EMAIL_NOT_VERIFIED" },
    });
  });

  it("a team that already pays cannot check out again (it would be billed twice)", async () => {
    const { checkout, press, dev } = await setUp();
    const started = await checkout();
    const url = started.ok ? started.value.url : "";
    await press(url, "pay");
    expect(await checkout()).toMatchObject({ ok: false, error: { code: "ALREADY_SUBSCRIBED" } });
    // The same checkout page pressed again (a double click, the back button) starts no second subscription.
    expect(await dev.act(tokenOf(url), "pay")).toBeNull();
  });

  it("members see the plan; people outside the team do not", async () => {
    const { checkout, press, billing, join, auth } = await setUp();
    const started = await checkout();
    await press(started.ok ? started.value.url : "", "pay");
    const member = await join("max@example.com");
    expect(await billing(member.user.id)).toMatchObject({ ok: true, value: { plan: "pro", role: "member" } });
    const stranger = await auth.registerUser({ email: "sam@example.com" });
    expect(await billing(stranger.user.id)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("a forged or edited dev checkout link does nothing", async () => {
    const { checkout, dev } = await setUp();
    const started = await checkout();
    const token = tokenOf(started.ok ? started.value.url : "");
    const [body, mac] = token.split(".");
    const edited = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, "base64url").toString()), teamId: "other" })).toString("base64url")}.${mac}`;
    expect(dev.describe(edited)).toBeNull();
    expect(await dev.act(edited, "pay")).toBeNull();
    expect(dev.describe("nonsense")).toBeNull();
  });

  it("an event for a team deleted since is acknowledged and changes nothing", async () => {
    const { checkout, dev, auth, owner, team } = await setUp();
    const started = await checkout();
    const delivery = await dev.act(tokenOf(started.ok ? started.value.url : ""), "pay");
    expect((await auth.useCases.deleteTeam.execute({ userId: owner.user.id, sessionId: owner.session.id, teamId: team.id, context: auth.context })).ok).toBe(true);
    expect(await auth.useCases.applyBillingEvent.execute({ payload: delivery!.payload, signature: delivery!.signature })).toEqual({ ok: true, value: "ignored" });
    expect(auth.db.tables.subscriptions.size).toBe(0);
  });

  it("without a configured provider every billing action answers BILLING_NOT_CONFIGURED", async () => {
    const auth = createInMemoryAuth({ billing: new UnconfiguredBillingProvider() }) as InMemoryAuth;
    const owner = await auth.registerUser();
    const created = await auth.useCases.createTeam.execute({ userId: owner.user.id, name: "Rockets", context: auth.context });
    const teamId = created.ok ? created.value.team.id : "";
    const refused = { ok: false, error: expect.objectContaining({ code: "BILLING_NOT_CONFIGURED" }) };
    expect(await auth.useCases.getTeamBilling.execute({ userId: owner.user.id, teamId })).toEqual(refused);
    expect(await auth.useCases.startCheckout.execute({ userId: owner.user.id, sessionId: sessionOf(auth, owner.user.id), teamId, plan: "pro" })).toEqual(refused);
    expect(await auth.useCases.openBillingPortal.execute({ userId: owner.user.id, sessionId: sessionOf(auth, owner.user.id), teamId })).toEqual(refused);
    expect(await auth.useCases.applyBillingEvent.execute({ payload: "{}", signature: "t=1,v1=x" })).toEqual(refused);
  });
});
