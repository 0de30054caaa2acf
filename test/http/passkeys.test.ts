/**
 * Passkeys over HTTP, with a software authenticator answering the server's options: registration,
 * list, removal, sign-in with a passkey alone, step-up with a passkey, and every refusal (origin, RP ID,
 * replayed challenge, missing UV flag, counter rollback, someone else's credential, stale session).
 * The app runs with the shortest step-up window the configuration allows (30 s).
 */
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import { SoftwareAuthenticator } from "../support/software-authenticator";
import { PASSWORD, signUp, Tab, uniqueEmail } from "./http-client";

const WINDOW_SECONDS = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithPostgres("Passkeys over HTTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer({ env: { FRESH_AUTH_MAX_AGE: String(WINDOW_SECONDS) } });
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function person() {
    const tab = new Tab(server.url);
    const { email, userId } = await signUp(tab, uniqueEmail("pk"));
    return { tab, email, userId, authenticator: new SoftwareAuthenticator(server.url) };
  }

  async function register(tab: Tab, authenticator: SoftwareAuthenticator, name = "Laptop") {
    const options = await tab.post("/api/auth/passkeys/registration/options");
    expect(options.status).toBe(200);
    return tab.post("/api/auth/passkeys/registration", { response: authenticator.register(options.body), name });
  }

  async function assertion(authenticator: SoftwareAuthenticator, tweaks = {}) {
    const options = await new Tab(server.url).post("/api/auth/passkeys/authentication/options");
    expect(options.status).toBe(200);
    return authenticator.authenticate(options.body, tweaks);
  }

  it("registers, lists and signs in with a passkey alone; the session counts it as both factors", async () => {
    const { tab, email, userId, authenticator } = await person();
    const options = await tab.post("/api/auth/passkeys/registration/options");
    expect(options.body).toMatchObject({
      rp: { id: "127.0.0.1" },
      user: { name: email },
      authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
    });
    const created = await tab.post("/api/auth/passkeys/registration", { response: authenticator.register(options.body), name: "Work laptop" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ passkey: { id: expect.any(String), name: "Work laptop", createdAt: expect.any(String), lastUsedAt: null } });
    expect((await tab.get("/api/auth/passkeys")).body.passkeys).toEqual([created.body.passkey]);
    const notice = await server.smtp.waitFor((m) => m.to.includes(email) && /passkey was added/i.test(m.subject), 10_000);
    expect(notice.text).toContain("Work laptop");

    // The next registration excludes the credential already held.
    const again = await tab.post("/api/auth/passkeys/registration/options");
    expect(again.body.excludeCredentials.map((c: { id: string }) => c.id)).toEqual([authenticator.credentials[0]!.id.toString("base64url")]);

    const browser = new Tab(server.url);
    const signedIn = await browser.post("/api/auth/passkeys/authentication", { response: await assertion(authenticator) });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ id: userId, email });
    const session = (await browser.get("/api/auth/session")).body.session;
    expect(session.authMethods).toEqual(["passkey"]);
    const events = await query(server.databaseUrl, "SELECT type, detail->>'method' AS method FROM auth_events WHERE user_id = $1 AND type IN ('passkey.added', 'sign-in.succeeded')", [userId]);
    expect(events).toEqual(expect.arrayContaining([{ type: "passkey.added", method: null }, { type: "sign-in.succeeded", method: "passkey" }]));
    const [row] = await query<{ counter: string; last_used_at: Date | null }>(server.databaseUrl, "SELECT counter, last_used_at FROM passkeys WHERE user_id = $1", [userId]);
    expect(row).toMatchObject({ counter: "1", last_used_at: expect.any(Date) });
  });

  it("refuses a replayed assertion, a wrong origin or RP ID, a missing UV flag and a counter that goes back", async () => {
    const { tab, authenticator } = await person();
    expect((await register(tab, authenticator)).status).toBe(201);
    const signIn = (response: unknown) => new Tab(server.url).post("/api/auth/passkeys/authentication", { response });

    const good = await assertion(authenticator, { counter: 10 });
    expect((await signIn(good)).status).toBe(200);
    const replay = await signIn(good);
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe("PASSKEY_REFUSED");
    expect(sessionCookieSet(replay)).toBe(false);

    for (const tweaks of [{ origin: "https://evil.example" }, { rpId: "evil.example" }, { userVerified: false }, { counter: 9 }, { counter: 10 }]) {
      const refused = await signIn(await assertion(authenticator, tweaks));
      expect({ tweaks, status: refused.status, code: refused.body.error?.code }).toEqual({ tweaks, status: 400, code: "PASSKEY_REFUSED" });
    }
    expect((await signIn(await assertion(authenticator, { counter: 11 }))).status).toBe(200);
  });

  it("refuses registrations from another origin, RP ID, without UV, or on a replayed challenge", async () => {
    const { tab, authenticator } = await person();
    for (const tweaks of [{ origin: "https://evil.example" }, { rpId: "evil.example" }, { userVerified: false }]) {
      const options = await tab.post("/api/auth/passkeys/registration/options");
      const refused = await tab.post("/api/auth/passkeys/registration", { response: authenticator.register(options.body, tweaks), name: "X" });
      expect({ tweaks, status: refused.status, code: refused.body.error?.code }).toEqual({ tweaks, status: 400, code: "PASSKEY_REFUSED" });
    }
    const options = await tab.post("/api/auth/passkeys/registration/options");
    expect((await tab.post("/api/auth/passkeys/registration", { response: authenticator.register(options.body), name: "A" })).status).toBe(201);
    const replay = await tab.post("/api/auth/passkeys/registration", { response: authenticator.register(options.body), name: "B" });
    expect(replay.body.error.code).toBe("PASSKEY_REFUSED");
    expect((await tab.get("/api/auth/passkeys")).body.passkeys.map((p: { name: string }) => p.name)).toEqual(["A"]);
  });

  it("keeps each person to their own passkeys: another's cannot be listed, removed, re-registered or used to step up", async () => {
    const pat = await person();
    const sam = await person();
    const patKey = (await register(pat.tab, pat.authenticator, "Pat's")).body.passkey;
    expect((await sam.tab.get("/api/auth/passkeys")).body.passkeys).toEqual([]);
    const removed = await sam.tab.delete(`/api/auth/passkeys/${patKey.id}`);
    expect(removed.status).toBe(404);
    expect(removed.body.error.code).toBe("NOT_FOUND");

    const options = await sam.tab.post("/api/auth/passkeys/registration/options");
    const stolen = await sam.tab.post("/api/auth/passkeys/registration", {
      response: pat.authenticator.register(options.body, {}, pat.authenticator.credentials[0]),
      name: "Mine",
    });
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.code).toBe("PASSKEY_ALREADY_REGISTERED");

    const stepUp = await sam.tab.post("/api/auth/passkeys/reauthentication", { response: await assertion(pat.authenticator) });
    expect(stepUp.status).toBe(400);
    expect(stepUp.body.error.code).toBe("PASSKEY_REFUSED");
    expect((await pat.tab.get("/api/auth/passkeys")).body.passkeys).toHaveLength(1);
  });

  it("removes a passkey (mailing a notice), after which it no longer signs in", async () => {
    const { tab, email, authenticator } = await person();
    const passkey = (await register(tab, authenticator, "Old phone")).body.passkey;
    expect((await tab.delete(`/api/auth/passkeys/${passkey.id}`)).status).toBe(204);
    expect((await tab.get("/api/auth/passkeys")).body.passkeys).toEqual([]);
    const notice = await server.smtp.waitFor((m) => m.to.includes(email) && /passkey was removed/i.test(m.subject), 10_000);
    expect(notice.text).toContain("Old phone");
    const refused = await new Tab(server.url).post("/api/auth/passkeys/authentication", { response: await assertion(authenticator) });
    expect(refused.body.error.code).toBe("PASSKEY_REFUSED");
  });

  it("answers bad input with 400, no session with 401, and a foreign origin with 403", async () => {
    const { tab } = await person();
    for (const body of [{}, { response: "x" }, { response: {}, extra: 1 }]) {
      expect((await tab.post("/api/auth/passkeys/authentication", body)).status).toBe(400);
    }
    expect((await tab.post("/api/auth/passkeys/registration", { response: {} })).status).toBe(400);
    const malformed = await tab.post("/api/auth/passkeys/registration", { response: { id: "a" }, name: "X" });
    expect(malformed.body.error.code).toBe("PASSKEY_REFUSED");
    const stranger = new Tab(server.url);
    expect((await stranger.get("/api/auth/passkeys")).status).toBe(401);
    expect((await stranger.post("/api/auth/passkeys/registration/options")).status).toBe(401);
    expect((await stranger.delete("/api/auth/passkeys/whatever")).status).toBe(401);
    expect((await tab.post("/api/auth/passkeys/authentication/options", {}, { origin: "https://evil.example" })).status).toBe(403);
  });

  it(
    "refuses registration and removal on a stale session with 403 REAUTHENTICATION_REQUIRED until a passkey steps it up",
    async () => {
      const { tab, userId, authenticator } = await person();
      const first = (await register(tab, authenticator)).body.passkey;
      const before = (await tab.get("/api/auth/session")).body.session;

      await sleep((WINDOW_SECONDS + 1) * 1000);

      for (const refused of [
        await tab.post("/api/auth/passkeys/registration/options"),
        await tab.post("/api/auth/passkeys/registration", { response: { id: "x" }, name: "Later" }),
        await tab.delete(`/api/auth/passkeys/${first.id}`),
      ]) {
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe("REAUTHENTICATION_REQUIRED");
      }
      expect(await query(server.databaseUrl, "SELECT 1 FROM passkeys WHERE user_id = $1", [userId])).toHaveLength(1);

      const stepped = await tab.post("/api/auth/passkeys/reauthentication", { response: await assertion(authenticator) });
      expect(stepped.status).toBe(200);
      const after = (await tab.get("/api/auth/session")).body.session;
      expect(after.id).not.toBe(before.id);
      expect(after.authMethods).toEqual(["passkey"]);
      expect((await tab.delete(`/api/auth/passkeys/${first.id}`)).status).toBe(204);
    },
    120_000,
  );

  it("leaves the password working beside a passkey", async () => {
    const { tab, email, authenticator } = await person();
    expect((await register(tab, authenticator)).status).toBe(201);
    expect((await new Tab(server.url).post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(200);
  });
});

function sessionCookieSet(response: { headers: Record<string, unknown> }): boolean {
  const header = response.headers["set-cookie"];
  return (Array.isArray(header) ? header : header ? [String(header)] : []).some((c) => String(c).startsWith("session="));
}
