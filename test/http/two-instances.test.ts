/**
 * Two instances of the app on one PostgreSQL, as behind a load balancer: a session ended on one is
 * refused by the other on the very next request, even though the other has just served (and may have
 * cached) it.
 */
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import { PASSWORD, signUp, Tab } from "./http-client";

describeWithPostgres("two instances over HTTP", () => {
  let a: NextServer;
  let b: NextServer;
  beforeAll(async () => {
    a = await startNextServer();
    b = await startNextServer({ databaseUrl: a.databaseUrl, smtp: a.smtp });
  }, 15 * 60_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  /** The same cookie presented to either instance. */
  const on = (server: NextServer, token: string) => new Tab(server.url).get("/api/auth/session", { cookie: token });

  it("a session opened on one instance works on the other", async () => {
    const browser = new Tab(a.url);
    await signUp(browser);
    expect((await on(b, browser.session!)).status).toBe(200);
  });

  it.each([
    ["sign-out", async (tab: Tab) => tab.send("POST", "/api/auth/sign-out")],
    ["sign-out-all", async (tab: Tab) => tab.send("POST", "/api/auth/sign-out-all")],
    [
      "session delete",
      async (tab: Tab) => {
        const id = (await tab.get("/api/auth/session")).body.session.id;
        return tab.delete(`/api/auth/sessions/${id}`);
      },
    ],
    ["password change (from another session)", null],
  ] as const)("%s on A is refused by B on the very next request", async (_label, revoke) => {
    const browser = new Tab(a.url);
    const { email } = await signUp(browser);
    const token = browser.session!;
    // Warm B: it has just accepted this session.
    for (let i = 0; i < 3; i++) expect((await on(b, token)).status).toBe(200);

    if (revoke) {
      const response = await revoke(browser);
      expect(response.status).toBe(204);
    } else {
      const other = new Tab(a.url);
      await other.post("/api/auth/sign-in", { email, password: PASSWORD });
      expect((await other.post("/api/auth/change-password", { currentPassword: PASSWORD, newPassword: "a fresh long passphrase 3" })).status).toBe(200);
    }
    expect((await on(b, token)).status).toBe(401);
  });

  it("account deletion on B ends the session on A at once", async () => {
    const browser = new Tab(b.url);
    await signUp(browser);
    const token = browser.session!;
    expect((await on(a, token)).status).toBe(200);
    expect((await browser.delete("/api/account", { password: PASSWORD })).status).toBe(204);
    expect((await on(a, token)).status).toBe(401);
  });

  /** A bearer presented to either instance, with no cookie and no Origin. */
  const asBearer = (server: NextServer, secret: string) => new Tab(server.url).get("/api/me", { origin: null, cookie: null, headers: { Authorization: `Bearer ${secret}` } });

  async function verifiedOnA(): Promise<{ browser: Tab; userId: string }> {
    const browser = new Tab(a.url);
    const { email, userId } = await signUp(browser);
    const mail = await a.smtp.waitFor((m) => m.to.includes(email) && /confirm/i.test(m.subject), 10_000);
    // Either instance may send the mail (they share the outbox), each with its own APP_URL in the link.
    const token = /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    expect((await new Tab(a.url).post("/api/auth/verify-email", { token })).status).toBe(200);
    return { browser, userId };
  }

  it("an API key revoked on A is refused by B on the very next request", async () => {
    const { browser } = await verifiedOnA();
    const created = await browser.post("/api/api-keys", { name: "two instances" });
    const secret: string = created.body.secret;
    // Warm B: it has just accepted this key (and may serve it from its cache).
    for (let i = 0; i < 3; i++) expect((await asBearer(b, secret)).status).toBe(200);
    expect((await browser.delete(`/api/api-keys/${created.body.apiKey.id}`)).status).toBe(204);
    expect((await asBearer(b, secret)).status).toBe(401);
  });

  it.each([
    ["signed out from the devices list", (browser: Tab, id: string) => browser.delete(`/api/devices/${id}`)],
    ["revoked by the device itself (RFC 7009)", (_browser: Tab, _id: string, token: string) =>
      new Tab(a.url).send("POST", "/api/oauth/revoke", { raw: `token=${token}`, contentType: "application/x-www-form-urlencoded", origin: null, cookie: null })],
    ["ended by sign-out-all", (browser: Tab) => browser.send("POST", "/api/auth/sign-out-all")],
  ] as const)("a device token %s on A is refused by B on the very next request", async (_label, end) => {
    const { browser, userId } = await verifiedOnA();
    const device = new Tab(a.url);
    const form = (fields: Record<string, string>) => ({ raw: new URLSearchParams(fields).toString(), contentType: "application/x-www-form-urlencoded", origin: null, cookie: null });
    const started = await device.send("POST", "/api/oauth/device/code", form({ client_id: "cli" }));
    await query(a.databaseUrl, "UPDATE device_authorizations SET status = 'approved', user_id = $2, decided_at = now() WHERE user_code = $1", [
      started.body.user_code.replace("-", ""),
      userId,
    ]);
    const token = await device.send("POST", "/api/oauth/token", form({ grant_type: "urn:ietf:params:oauth:grant-type:device_code", client_id: "cli", device_code: started.body.device_code }));
    const secret: string = token.body.access_token;
    for (let i = 0; i < 3; i++) expect((await asBearer(b, secret)).status).toBe(200);
    const id = (await browser.get("/api/devices")).body.devices[0].id;
    expect([200, 204]).toContain((await end(browser, id, secret)).status);
    expect((await asBearer(b, secret)).status).toBe(401);
  });
});
