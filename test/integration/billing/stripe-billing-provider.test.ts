/**
 * The Stripe adapter on the real `stripe` package, its HTTP client pointed at an in-process stand-in
 * for Stripe's API (no network), and webhooks signed with the package's own test-header helper. The
 * events go through ApplyBillingEvent on the in-memory stores, so each rule is checked end to end.
 */
import Stripe from "stripe";
import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import { StripeBillingProvider } from "../../../src/infrastructure/billing";
import { createInMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";
import { STAND_IN_PRICE_PRO, STAND_IN_SECRET_KEY, STAND_IN_WEBHOOK_SECRET, StripeStandIn, stripeEvent } from "../../support/stripe-stand-in";

const sign = (payload: string, timestamp: number, secret = STAND_IN_WEBHOOK_SECRET) =>
  Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp });

describe("The Stripe billing adapter", () => {
  const stripe = new StripeStandIn();
  beforeAll(() => stripe.start());
  afterAll(() => stripe.stop());

  async function setUp() {
    stripe.requests.length = 0;
    stripe.subscriptions.clear();
    stripe.failWith = null;
    const clock = new ControllableClock("2030-01-01T00:00:00Z");
    const provider = new StripeBillingProvider(
      {
        secretKey: STAND_IN_SECRET_KEY,
        webhookSecret: STAND_IN_WEBHOOK_SECRET,
        prices: { pro: STAND_IN_PRICE_PRO },
        api: { host: "127.0.0.1", port: stripe.port, protocol: "http" },
      },
      clock,
      { warn: () => undefined },
    );
    const kit = createInMemoryAuth({ clock, billing: provider });
    const owner = await kit.registerUser({ email: "olive@example.com" });
    const created = await kit.useCases.createTeam.execute({ userId: owner.user.id, name: "Rockets", context: kit.context });
    if (!created.ok) throw new Error(created.error.code);
    const team = created.value.team;
    const now = () => Math.floor(kit.clock.now().getTime() / 1000);
    const deliver = async (payload: string, signature: string | null) => kit.useCases.applyBillingEvent.execute({ payload, signature });
    const stored = () => kit.stores.subscriptions.findByTeam(team.id);
    const periodEnd = now() + 30 * 86400;
    stripe.subscriptions.set("sub_1", { id: "sub_1", customer: "cus_1", status: "active", price: STAND_IN_PRICE_PRO, currentPeriodEnd: periodEnd, metadata: { team_id: team.id } });
    return { kit, owner, team, now, deliver, stored, periodEnd };
  }

  it("creates a Checkout Session in subscription mode for the team, at the configured price", async () => {
    const { kit, owner, team } = await setUp();
    const started = await kit.useCases.startCheckout.execute({ userId: owner.user.id, sessionId: owner.session.id, teamId: team.id, plan: "pro" });
    expect(started).toEqual({ ok: true, value: { url: "https://checkout.stripe.test/c/pay/cs_test_1" } });
    expect(stripe.requests).toHaveLength(1);
    const [call] = stripe.requests;
    expect(call).toMatchObject({ method: "POST", path: "/v1/checkout/sessions", authorization: `Bearer ${STAND_IN_SECRET_KEY}` });
    expect(call!.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(call!.form).toEqual({
      mode: "subscription",
      "line_items[0][price]": STAND_IN_PRICE_PRO,
      "line_items[0][quantity]": "1",
      client_reference_id: team.id,
      "metadata[team_id]": team.id,
      "subscription_data[metadata][team_id]": team.id,
      customer_email: "olive@example.com",
      success_url: `http://localhost:3000/dashboard/teams/${team.id}/billing?notice=billing-checkout-done`,
      cancel_url: `http://localhost:3000/dashboard/teams/${team.id}/billing?notice=billing-checkout-canceled`,
    });
  });

  it("on checkout.session.completed re-reads the subscription and stores what Stripe says, not the event's copy", async () => {
    const { deliver, stored, now, team, periodEnd } = await setUp();
    // The event claims a team and a status; Stripe's current subscription is what counts.
    const payload = stripeEvent("evt_1", "checkout.session.completed", now(), {
      id: "cs_test_1",
      object: "checkout.session",
      mode: "subscription",
      client_reference_id: team.id,
      customer: "cus_1",
      subscription: "sub_1",
      status: "complete",
    });
    expect(await deliver(payload, await sign(payload, now()))).toEqual({ ok: true, value: "applied" });
    expect(stripe.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v1/subscriptions/sub_1"]);
    expect(await stored()).toMatchObject({
      teamId: team.id,
      plan: "pro",
      status: "active",
      customerId: "cus_1",
      subscriptionId: "sub_1",
      cancelAtPeriodEnd: false,
      currentPeriodEnd: new Date(periodEnd * 1000),
    });
  });

  it("refuses a bad, missing or stale signature, and nothing changes", async () => {
    const { deliver, stored, now, kit } = await setUp();
    const payload = stripeEvent("evt_2", "customer.subscription.created", now(), { id: "sub_1", object: "subscription", status: "active" });
    const refused = { ok: false, error: expect.objectContaining({ code: "INVALID_SIGNATURE" }) };
    expect(await deliver(payload, await sign(payload, now(), "whsec_someoneelse"))).toEqual(refused);
    expect(await deliver(payload, null)).toEqual(refused);
    expect(await deliver(payload, "t=1,v1=deadbeef")).toEqual(refused);
    // Signed correctly, but over other bytes: a re-serialised body no longer matches.
    expect(await deliver(JSON.stringify(JSON.parse(payload), null, 2), await sign(payload, now()))).toEqual(refused);
    // Signed correctly ten minutes ago: outside the five-minute tolerance.
    expect(await deliver(payload, await sign(payload, now() - 600))).toEqual(refused);
    expect(await stored()).toBeNull();
    expect(kit.db.tables.billingEvents.size).toBe(0);
    expect(stripe.requests).toHaveLength(0);
  });

  it("applies the same event once, however often it is delivered", async () => {
    const { deliver, stored, now } = await setUp();
    const payload = stripeEvent("evt_3", "customer.subscription.created", now(), { id: "sub_1", object: "subscription" });
    const header = await sign(payload, now());
    expect(await deliver(payload, header)).toEqual({ ok: true, value: "applied" });
    const first = await stored();
    stripe.subscriptions.get("sub_1")!.status = "past_due";
    expect(await deliver(payload, header)).toEqual({ ok: true, value: "duplicate" });
    expect(await stored()).toEqual(first);
  });

  it("ignores a customer.subscription.updated older than the state stored", async () => {
    const { deliver, stored, now, kit } = await setUp();
    const sub = stripe.subscriptions.get("sub_1")!;
    sub.cancelAtPeriodEnd = true;
    const newer = stripeEvent("evt_new", "customer.subscription.updated", now(), { id: "sub_1", object: "subscription" });
    expect(await deliver(newer, await sign(newer, now()))).toEqual({ ok: true, value: "applied" });
    // Delivered late: an event from a minute before, while Stripe meanwhile answers something else.
    sub.cancelAtPeriodEnd = false;
    sub.status = "past_due";
    const older = stripeEvent("evt_old", "customer.subscription.updated", now() - 60, { id: "sub_1", object: "subscription" });
    expect(await deliver(older, await sign(older, now()))).toEqual({ ok: true, value: "stale" });
    expect(await stored()).toMatchObject({ status: "active", cancelAtPeriodEnd: true, lastEventAt: kit.clock.now() });
  });

  it("answers an event type it does not act on with success and changes nothing", async () => {
    const { deliver, stored, now } = await setUp();
    const payload = stripeEvent("evt_4", "invoice.paid", now(), { id: "in_1", object: "invoice", amount_paid: 1 });
    expect(await deliver(payload, await sign(payload, now()))).toEqual({ ok: true, value: "ignored" });
    expect(await stored()).toBeNull();
    expect(stripe.requests).toHaveLength(0);
  });

  it("matches a subscription event without our metadata to the team by its customer; a subscription of another price is not ours", async () => {
    const { deliver, stored, now } = await setUp();
    const first = stripeEvent("evt_5", "customer.subscription.created", now(), { id: "sub_1", object: "subscription" });
    expect((await deliver(first, await sign(first, now()))).ok).toBe(true);
    const sub = stripe.subscriptions.get("sub_1")!;
    sub.metadata = {};
    sub.status = "canceled";
    const deleted = stripeEvent("evt_6", "customer.subscription.deleted", now(), { id: "sub_1", object: "subscription" });
    expect(await deliver(deleted, await sign(deleted, now()))).toEqual({ ok: true, value: "applied" });
    expect(await stored()).toMatchObject({ status: "canceled", plan: "pro" });

    stripe.subscriptions.set("sub_other", { id: "sub_other", customer: "cus_1", status: "active", price: "price_someone_else", currentPeriodEnd: now() });
    const other = stripeEvent("evt_7", "customer.subscription.created", now(), { id: "sub_other", object: "subscription" });
    expect(await deliver(other, await sign(other, now()))).toEqual({ ok: true, value: "ignored" });
    expect(await stored()).toMatchObject({ status: "canceled", subscriptionId: "sub_1" });
  });

  it("shows the end date when a subscription is set to cancel (cancel_at_period_end or cancel_at)", async () => {
    const { deliver, stored, now } = await setUp();
    const sub = stripe.subscriptions.get("sub_1")!;
    sub.cancelAt = now() + 5 * 86400;
    const payload = stripeEvent("evt_8", "customer.subscription.updated", now(), { id: "sub_1", object: "subscription" });
    expect((await deliver(payload, await sign(payload, now()))).ok).toBe(true);
    expect(await stored()).toMatchObject({ cancelAtPeriodEnd: true, currentPeriodEnd: new Date(sub.cancelAt! * 1000) });
  });

  it("opens the customer portal for the team's customer", async () => {
    const { deliver, now, kit, owner, team } = await setUp();
    const payload = stripeEvent("evt_9", "customer.subscription.created", now(), { id: "sub_1", object: "subscription" });
    expect((await deliver(payload, await sign(payload, now()))).ok).toBe(true);
    stripe.requests.length = 0;
    const opened = await kit.useCases.openBillingPortal.execute({ userId: owner.user.id, sessionId: owner.session.id, teamId: team.id });
    expect(opened.ok && opened.value.url).toMatch(/^https:\/\/billing\.stripe\.test\/p\/session\//);
    expect(stripe.requests).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/v1/billing_portal/sessions",
        form: { customer: "cus_1", return_url: `http://localhost:3000/dashboard/teams/${team.id}/billing` },
      }),
    ]);
  });

  it("when Stripe cannot be read, refuses the event (so Stripe retries) and records nothing", async () => {
    const { deliver, stored, now, kit } = await setUp();
    stripe.failWith = 500;
    const payload = stripeEvent("evt_10", "customer.subscription.created", now(), { id: "sub_1", object: "subscription" });
    const header = await sign(payload, now());
    expect(await deliver(payload, header)).toEqual({ ok: false, error: expect.objectContaining({ code: "BILLING_PROVIDER_UNAVAILABLE" }) });
    expect(kit.db.tables.billingEvents.size).toBe(0);
    stripe.failWith = null;
    expect(await deliver(payload, header)).toEqual({ ok: true, value: "applied" });
    expect((await stored())?.status).toBe("active");
  }, 30_000);
});
