/**
 * Billing over HTTP on PostgreSQL, in production mode: with Stripe configured (its SDK pointed through
 * STRIPE_API_URL at an in-process stand-in for Stripe's API), every route and refusal, webhooks signed
 * with the `stripe` package's own helper and delivered concurrently; and with nothing configured, 503
 * on every billing route and a page that says billing is not set up.
 */
import Stripe from "stripe";
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import { STAND_IN_PRICE_PRO, STAND_IN_SECRET_KEY, STAND_IN_WEBHOOK_SECRET, StripeStandIn, stripeEvent } from "../support/stripe-stand-in";
import { linkToken, signUp, Tab, uniqueEmail } from "./http-client";

const sign = (payload: string, timestamp = Math.floor(Date.now() / 1000), secret = STAND_IN_WEBHOOK_SECRET) =>
  Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp });

let events = 0;
const nextEventId = () => `evt_http_${Date.now()}_${++events}`;

describeWithPostgres("Billing over HTTP", () => {
  const stripe = new StripeStandIn();
  let server: NextServer;
  let bare: NextServer;
  beforeAll(async () => {
    await stripe.start();
    server = await startNextServer({
      env: {
        STRIPE_SECRET_KEY: STAND_IN_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: STAND_IN_WEBHOOK_SECRET,
        STRIPE_PRICE_PRO: STAND_IN_PRICE_PRO,
        STRIPE_API_URL: stripe.url,
      },
    });
    bare = await startNextServer({ env: { STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, STRIPE_PRICE_PRO: undefined, STRIPE_API_URL: undefined } });
  }, 15 * 60_000);
  afterAll(async () => {
    await Promise.all([server?.stop(), bare?.stop()]);
    await stripe.stop();
  });

  async function person(on: NextServer, options: { verified?: boolean } = {}) {
    const browser = new Tab(on.url);
    const { email, userId } = await signUp(browser, uniqueEmail("billing"));
    if (options.verified !== false) {
      const mail = await on.smtp.waitFor((m) => m.to.includes(email) && /confirm/i.test(m.subject), 10_000);
      expect((await new Tab(on.url).post("/api/auth/verify-email", { token: linkToken(mail, on.url, "/verify-email") })).status).toBe(200);
    }
    return { browser, email, userId };
  }

  async function teamOf(owner: Awaited<ReturnType<typeof person>>, on = server): Promise<string> {
    const created = await owner.browser.post("/api/teams", { name: "Rockets" });
    expect(created.status).toBe(201);
    void on;
    return created.body.team.id;
  }

  async function memberOf(owner: Awaited<ReturnType<typeof person>>, teamId: string, role: string) {
    const member = await person(server);
    const before = server.smtp.messages.length;
    expect((await owner.browser.post(`/api/teams/${teamId}/invitations`, { email: member.email, role })).status).toBe(201);
    const mail = await server.smtp.waitFor((m) => server.smtp.messages.indexOf(m) >= before && m.to.includes(member.email) && /^Join /.test(m.subject), 10_000);
    expect((await member.browser.post("/api/invitations/accept", { token: linkToken(mail, server.url, "/invite") })).status).toBe(200);
    return member;
  }

  function webhook(on: NextServer, payload: string, signature: string | null) {
    return fetch(`${on.url}/api/billing/webhook`, {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8", ...(signature === null ? {} : { "Stripe-Signature": signature }) },
      body: payload,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));
  }

  const stored = async (teamId: string) => (await query<Record<string, any>>(server.databaseUrl, "SELECT * FROM team_subscriptions WHERE team_id = $1", [teamId]))[0] ?? null;

  /** A paying team: Stripe knows an active subscription for it, and the webhook told the app. */
  async function payingTeam() {
    const owner = await person(server);
    const teamId = await teamOf(owner);
    const sub = `sub_${teamId.slice(-8)}_${++events}`;
    const periodEnd = Math.floor(Date.now() / 1000) + 30 * 86400;
    stripe.subscriptions.set(sub, { id: sub, customer: `cus_${sub}`, status: "active", price: STAND_IN_PRICE_PRO, currentPeriodEnd: periodEnd, metadata: { team_id: teamId } });
    const payload = stripeEvent(nextEventId(), "checkout.session.completed", Math.floor(Date.now() / 1000), {
      id: "cs_x",
      object: "checkout.session",
      mode: "subscription",
      client_reference_id: teamId,
      subscription: sub,
    });
    expect(await webhook(server, payload, await sign(payload))).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
    return { owner, teamId, sub, periodEnd };
  }

  it("shows a team's plan to its members: free before, Pro after Stripe's checkout.session.completed", async () => {
    const owner = await person(server);
    const teamId = await teamOf(owner);
    const before = await owner.browser.get(`/api/teams/${teamId}/billing`);
    expect(before.status).toBe(200);
    expect(before.headers["cache-control"]).toBe("no-store");
    expect(before.body).toEqual({ plan: "free", status: "none", currentPeriodEnd: null, cancelAtPeriodEnd: false });

    const { owner: payer, teamId: paid, periodEnd } = await payingTeam();
    const after = await payer.browser.get(`/api/teams/${paid}/billing`);
    expect(after.body).toEqual({ plan: "pro", status: "active", currentPeriodEnd: new Date(periodEnd * 1000).toISOString(), cancelAtPeriodEnd: false });
    const member = await memberOf(payer, paid, "member");
    expect((await member.browser.get(`/api/teams/${paid}/billing`)).body.plan).toBe("pro");
    expect((await owner.browser.get(`/api/teams/${paid}/billing`)).status).toBe(404);
  });

  it("starts a Stripe Checkout for a verified owner, at the configured price, whatever else the client says", async () => {
    const owner = await person(server);
    const teamId = await teamOf(owner);
    stripe.requests.length = 0;
    const started = await owner.browser.post(`/api/teams/${teamId}/billing/checkout`, { plan: "pro" });
    expect(started.status).toBe(200);
    expect(started.body).toEqual({ url: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_\d+$/) });
    expect(stripe.requests).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/v1/checkout/sessions",
        form: expect.objectContaining({
          mode: "subscription",
          "line_items[0][price]": STAND_IN_PRICE_PRO,
          "line_items[0][quantity]": "1",
          client_reference_id: teamId,
          customer_email: owner.email,
          success_url: `${server.url}/dashboard/teams/${teamId}/billing?notice=billing-checkout-done`,
        }),
      }),
    ]);
    // A price or amount in the body is not a field of this route.
    const priced = await owner.browser.post(`/api/teams/${teamId}/billing/checkout`, { plan: "pro", price: "price_free" });
    expect(priced.status).toBe(400);
    expect(stripe.requests).toHaveLength(1);
  });

  it("refuses checkout and portal to anyone but a verified owner of the team, touching nothing at Stripe", async () => {
    const owner = await person(server);
    const teamId = await teamOf(owner);
    const admin = await memberOf(owner, teamId, "admin");
    const stranger = await person(server);
    await teamOf(stranger);
    const unverified = await person(server, { verified: false });
    const ownTeam = await teamOf(unverified);
    stripe.requests.length = 0;

    for (const route of ["checkout", "portal"]) {
      const body = route === "checkout" ? { plan: "pro" } : undefined;
      const asAdmin = await admin.browser.post(`/api/teams/${teamId}/billing/${route}`, body);
      expect([asAdmin.status, asAdmin.body.error.code]).toEqual([403, "FORBIDDEN"]);
      const asStranger = await stranger.browser.post(`/api/teams/${teamId}/billing/${route}`, body);
      expect([asStranger.status, asStranger.body.error.code]).toEqual([404, "NOT_FOUND"]);
      const asUnverified = await unverified.browser.post(`/api/teams/${ownTeam}/billing/${route}`, body);
      expect([asUnverified.status, asUnverified.body.error.code]).toEqual([403, "EMAIL_NOT_VERIFIED"]);
      const signedOut = await new Tab(server.url).post(`/api/teams/${teamId}/billing/${route}`, body);
      expect([signedOut.status, signedOut.body.error.code]).toEqual([401, "UNAUTHENTICATED"]);
      const crossSite = await owner.browser.post(`/api/teams/${teamId}/billing/${route}`, body, { origin: "https://evil.example" });
      expect([crossSite.status, crossSite.body.error.code]).toEqual([403, "CROSS_SITE_REQUEST"]);
    }
    for (const plan of ["enterprise", "", "PRO"]) {
      const bad = await owner.browser.post(`/api/teams/${teamId}/billing/checkout`, { plan });
      expect([bad.status, bad.body.error.code, Object.keys(bad.body.error.fields ?? {})]).toEqual([400, "VALIDATION_FAILED", ["plan"]]);
    }
    for (const body of [{}, { plan: 1 }]) {
      const bad = await owner.browser.post(`/api/teams/${teamId}/billing/checkout`, body);
      expect([bad.status, bad.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    }
    const noAccount = await owner.browser.post(`/api/teams/${teamId}/billing/portal`);
    expect([noAccount.status, noAccount.body.error.code]).toEqual([409, "NO_BILLING_ACCOUNT"]);
    expect((await stranger.browser.get(`/api/teams/${teamId}/billing`)).status).toBe(404);
    expect((await new Tab(server.url).get(`/api/teams/${teamId}/billing`)).status).toBe(401);
    // An API key is a credential for the read routes only: billing is session only.
    const key = await owner.browser.post("/api/api-keys", { name: "ci" });
    expect(key.status).toBe(201);
    for (const [method, route] of [["GET", ""], ["POST", "/checkout"], ["POST", "/portal"]] as const) {
      const asKey = await new Tab(server.url).send(method, `/api/teams/${teamId}/billing${route}`, {
        headers: { Authorization: `Bearer ${key.body.secret}` },
        ...(method === "POST" ? { body: { plan: "pro" } } : {}),
      });
      expect([asKey.status, asKey.body.error.code]).toEqual([403, "SESSION_REQUIRED"]);
    }
    expect(stripe.requests).toEqual([]);
    expect(await stored(teamId)).toBeNull();
  });

  it("opens the portal for a paying team, and refuses a second checkout that would bill it twice", async () => {
    const { owner, teamId, sub } = await payingTeam();
    stripe.requests.length = 0;
    const opened = await owner.browser.post(`/api/teams/${teamId}/billing/portal`);
    expect(opened.status).toBe(200);
    expect(opened.body.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    expect(stripe.requests).toEqual([
      expect.objectContaining({ path: "/v1/billing_portal/sessions", form: { customer: `cus_${sub}`, return_url: `${server.url}/dashboard/teams/${teamId}/billing` } }),
    ]);
    const again = await owner.browser.post(`/api/teams/${teamId}/billing/checkout`, { plan: "pro" });
    expect([again.status, again.body.error.code]).toEqual([409, "ALREADY_SUBSCRIBED"]);
  });

  it("refuses a webhook with a bad, missing or stale signature with 400, and nothing changes", async () => {
    const { teamId, sub } = await payingTeam();
    const before = await stored(teamId);
    const eventsBefore = await query(server.databaseUrl, "SELECT count(*)::int AS n FROM billing_events");
    stripe.subscriptions.get(sub)!.status = "canceled";
    const payload = stripeEvent(nextEventId(), "customer.subscription.deleted", Math.floor(Date.now() / 1000), { id: sub, object: "subscription" });
    const cases: Array<[string, string | null, string]> = [
      ["missing", null, payload],
      ["wrong secret", await sign(payload, undefined, "whsec_not_ours_at_all"), payload],
      ["garbage", "t=1,v1=00", payload],
      ["stale", await sign(payload, Math.floor(Date.now() / 1000) - 3600), payload],
      ["other bytes", await sign(payload), payload.replace('"livemode":false', '"livemode":true')],
    ];
    for (const [, signature, body] of cases) {
      const refused = await webhook(server, body, signature);
      expect([refused.status, refused.body.error.code]).toEqual([400, "INVALID_SIGNATURE"]);
    }
    expect(await stored(teamId)).toEqual(before);
    expect(await query(server.databaseUrl, "SELECT count(*)::int AS n FROM billing_events")).toEqual(eventsBefore);
  });

  it("applies one event once, also when Stripe delivers it many times at once", async () => {
    const { teamId, sub } = await payingTeam();
    stripe.subscriptions.get(sub)!.cancelAtPeriodEnd = true;
    const id = nextEventId();
    const payload = stripeEvent(id, "customer.subscription.updated", Math.floor(Date.now() / 1000) + 1, { id: sub, object: "subscription" });
    const header = await sign(payload);
    const answers = await Promise.all(Array.from({ length: 8 }, () => webhook(server, payload, header)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.map((a) => a.body.outcome).sort()).toEqual(["applied", ...Array(7).fill("duplicate")]);
    expect(await query(server.databaseUrl, "SELECT count(*)::int AS n FROM billing_events WHERE id = $1", [id])).toEqual([{ n: 1 }]);
    expect(await stored(teamId)).toMatchObject({ cancel_at_period_end: true, status: "active" });
  });

  it("never lets an older event overwrite newer state, in order or concurrently; ignores types it does not act on", async () => {
    const { teamId, sub } = await payingTeam();
    const now = Math.floor(Date.now() / 1000);
    const newer = stripeEvent(nextEventId(), "customer.subscription.updated", now + 10, { id: sub, object: "subscription" });
    stripe.subscriptions.get(sub)!.cancelAtPeriodEnd = true;
    expect((await webhook(server, newer, await sign(newer))).body.outcome).toBe("applied");
    stripe.subscriptions.get(sub)!.cancelAtPeriodEnd = false;
    const older = stripeEvent(nextEventId(), "customer.subscription.updated", now + 5, { id: sub, object: "subscription" });
    expect(await webhook(server, older, await sign(older))).toEqual({ status: 200, body: { received: true, outcome: "stale" } });
    expect(await stored(teamId)).toMatchObject({ cancel_at_period_end: true });

    // Several events of one team at once, in any order: the newest one's time is what is stored.
    const burst = await Promise.all(
      [3, 1, 4, 2].map(async (i) => {
        const p = stripeEvent(nextEventId(), "customer.subscription.updated", now + 20 + i, { id: sub, object: "subscription" });
        return webhook(server, p, await sign(p));
      }),
    );
    expect(burst.every((a) => a.status === 200)).toBe(true);
    expect(new Date((await stored(teamId)).last_event_at).getTime()).toBe((now + 24) * 1000);

    const invoice = stripeEvent(nextEventId(), "invoice.payment_succeeded", now + 30, { id: "in_1", object: "invoice", amount_paid: 0 });
    expect(await webhook(server, invoice, await sign(invoice))).toEqual({ status: 200, body: { received: true, outcome: "ignored" } });
    expect(new Date((await stored(teamId)).last_event_at).getTime()).toBe((now + 24) * 1000);
  });

  it("when Stripe cannot be reached, checkout answers 502 and a webhook is refused so that Stripe retries", async () => {
    const { owner, teamId, sub } = await payingTeam();
    const fresh = await teamOf(owner);
    stripe.failWith = 500;
    try {
      const started = await owner.browser.post(`/api/teams/${fresh}/billing/checkout`, { plan: "pro" });
      expect([started.status, started.body.error.code]).toEqual([502, "BILLING_PROVIDER_UNAVAILABLE"]);
      const payload = stripeEvent(nextEventId(), "customer.subscription.updated", Math.floor(Date.now() / 1000) + 100, { id: sub, object: "subscription" });
      const refused = await webhook(server, payload, await sign(payload));
      expect([refused.status, refused.body.error.code]).toEqual([502, "BILLING_PROVIDER_UNAVAILABLE"]);
    } finally {
      stripe.failWith = null;
    }
    expect((await stored(teamId)).status).toBe("active");
  }, 60_000);

  it("in production with nothing configured, every billing route answers 503 BILLING_NOT_CONFIGURED and the page says so", async () => {
    const owner = await person(bare);
    const teamId = await teamOf(owner, bare);
    const answers = [
      await owner.browser.get(`/api/teams/${teamId}/billing`),
      await owner.browser.post(`/api/teams/${teamId}/billing/checkout`, { plan: "pro" }),
      await owner.browser.post(`/api/teams/${teamId}/billing/portal`),
    ];
    for (const answer of answers) expect([answer.status, answer.body.error.code]).toEqual([503, "BILLING_NOT_CONFIGURED"]);
    const payload = stripeEvent("evt_bare", "customer.subscription.updated", Math.floor(Date.now() / 1000), { id: "sub_x" });
    const hook = await webhook(bare, payload, await sign(payload));
    expect([hook.status, hook.body.error.code]).toEqual([503, "BILLING_NOT_CONFIGURED"]);

    const page = await owner.browser.get(`/dashboard/teams/${teamId}/billing`, { headers: { Accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.text).toContain("Billing is not set up on this server.");
    expect((await owner.browser.get(`/dev/billing?session=x`, { headers: { Accept: "text/html" } })).status).toBe(404);
  });
});
