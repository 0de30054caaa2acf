/**
 * Step-up over HTTP: sensitive actions need a session authenticated within FRESH_AUTH_MAX_AGE; after
 * it they answer 403 REAUTHENTICATION_REQUIRED until POST /api/auth/reauthenticate moves the session
 * to a new, fresh id. The app runs with the shortest window the configuration allows (30 s).
 */
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import { linkToken, PASSWORD, signUp, Tab } from "./http-client";

const WINDOW_SECONDS = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithPostgres("Step-up (fresh authentication) over HTTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer({ env: { FRESH_AUTH_MAX_AGE: String(WINDOW_SECONDS) } });
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function verifiedUser(): Promise<{ browser: Tab; userId: string }> {
    const browser = new Tab(server.url);
    const { email, userId } = await signUp(browser);
    const mail = await server.smtp.waitFor((m) => m.to.includes(email) && /confirm/i.test(m.subject), 10_000);
    expect((await new Tab(server.url).post("/api/auth/verify-email", { token: linkToken(mail, server.url, "/verify-email") })).status).toBe(200);
    return { browser, userId };
  }

  it(
    "refuses API key creation and team deletion on a stale session, and allows them again after re-authentication on a new session id",
    async () => {
      const { browser, userId } = await verifiedUser();
      const team = (await browser.post("/api/teams", { name: "Stale" })).body.team;
      expect((await browser.post("/api/api-keys", { name: "while fresh" })).status).toBe(201);
      const before = (await browser.get("/api/auth/session")).body.session;
      expect(before).toMatchObject({ authMethods: ["password"], lastAuthenticatedAt: expect.any(String) });

      await sleep((WINDOW_SECONDS + 1) * 1000);

      const key = await browser.post("/api/api-keys", { name: "while stale" });
      expect(key.status).toBe(403);
      expect(key.body.error.code).toBe("REAUTHENTICATION_REQUIRED");
      const deleted = await browser.delete(`/api/teams/${team.id}`);
      expect(deleted.status).toBe(403);
      expect(deleted.body.error.code).toBe("REAUTHENTICATION_REQUIRED");
      for (const path of [`/api/teams/${team.id}/billing/checkout`, `/api/teams/${team.id}/billing/portal`]) {
        const money = await browser.post(path, path.endsWith("checkout") ? { plan: "pro" } : undefined);
        expect({ path, status: money.status, code: money.body.error?.code }).toEqual({ path, status: 403, code: "REAUTHENTICATION_REQUIRED" });
      }
      expect(await query(server.databaseUrl, "SELECT name FROM api_keys WHERE user_id = $1", [userId])).toEqual([{ name: "while fresh" }]);
      expect(await query(server.databaseUrl, "SELECT 1 FROM teams WHERE id = $1", [team.id])).toHaveLength(1);

      // A wrong password changes nothing: same session, still stale.
      const wrong = await browser.post("/api/auth/reauthenticate", { password: "not the password at all" });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe("INVALID_CREDENTIALS");
      expect((await browser.get("/api/auth/session")).body.session.id).toBe(before.id);

      const oldCookie = browser.session;
      const stepped = await browser.post("/api/auth/reauthenticate", { password: PASSWORD });
      expect(stepped.status).toBe(200);
      expect(stepped.body.user).toMatchObject({ id: userId });
      const after = (await browser.get("/api/auth/session")).body.session;
      expect(after.id).not.toBe(before.id);
      expect(Date.parse(after.lastAuthenticatedAt)).toBeGreaterThan(Date.parse(before.lastAuthenticatedAt));
      expect(after.expiresAt).toBe(before.expiresAt);

      // The session id before the step-up ends at once.
      const holder = new Tab(server.url);
      holder.session = oldCookie;
      expect((await holder.get("/api/auth/session")).status).toBe(401);

      expect((await browser.post("/api/api-keys", { name: "after step-up" })).status).toBe(201);
      // Past the gate now: this app has no billing provider configured (production without Stripe).
      expect((await browser.post(`/api/teams/${team.id}/billing/checkout`, { plan: "pro" })).body.error.code).toBe("BILLING_NOT_CONFIGURED");
      expect((await browser.delete(`/api/teams/${team.id}`)).status).toBe(204);
      const events = await query(server.databaseUrl, "SELECT type FROM auth_events WHERE user_id = $1 AND type = 'session.reauthenticated'", [userId]);
      expect(events).toHaveLength(1);
    },
    120_000,
  );

  it("answers bad input with 400, no session with 401 and a bearer credential with 403 SESSION_REQUIRED", async () => {
    const { browser } = await verifiedUser();
    const missing = await browser.post("/api/auth/reauthenticate", {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toHaveProperty("password");
    expect((await browser.post("/api/auth/reauthenticate", { password: 12 })).status).toBe(400);
    expect((await new Tab(server.url).post("/api/auth/reauthenticate", { password: PASSWORD })).status).toBe(401);

    const key = (await browser.post("/api/api-keys", { name: "bearer" })).body.secret as string;
    const bearer = await new Tab(server.url).post("/api/auth/reauthenticate", { password: PASSWORD }, { headers: { authorization: `Bearer ${key}` } });
    expect(bearer.status).toBe(403);
    expect(bearer.body.error.code).toBe("SESSION_REQUIRED");
  });
});
