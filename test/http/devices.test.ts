/**
 * Bearer credentials and the RFC 8628 device flow over HTTP, on PostgreSQL: GET /api/me for every kind
 * of credential, least privilege of bearers, the OAuth endpoints and their errors, and device credentials.
 */
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import { linkToken, signUp, Tab, type Response } from "./http-client";

const GRANT = "urn:ietf:params:oauth:grant-type:device_code";

describeWithPostgres("Bearer credentials and device authorization over HTTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer();
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  /** A client with no cookie and no Origin: a script, a CLI, a device. */
  const device = () => new Tab(server.url, "device-test/1.0");
  const withBearer = (token: string, extra: Record<string, string> = {}) => ({ origin: null, cookie: null, headers: { Authorization: `Bearer ${token}`, ...extra } });
  const form = (fields: Record<string, string>) => ({ raw: new URLSearchParams(fields).toString(), contentType: "application/x-www-form-urlencoded", origin: null, cookie: null });
  const oauth = (path: string, fields: Record<string, string>, as: "form" | "json" = "form"): Promise<Response> =>
    as === "form" ? device().send("POST", path, form(fields)) : device().send("POST", path, { body: fields, origin: null, cookie: null });

  async function verifiedUser(): Promise<{ browser: Tab; userId: string; email: string; password: string }> {
    const browser = new Tab(server.url);
    const { email, userId, password } = await signUp(browser);
    const mail = await server.smtp.waitFor((m) => m.to.includes(email) && /confirm/i.test(m.subject), 10_000);
    expect((await new Tab(server.url).post("/api/auth/verify-email", { token: linkToken(mail, server.url, "/verify-email") })).status).toBe(200);
    return { browser, userId, email, password };
  }

  async function startFlow(): Promise<{ deviceCode: string; userCode: string }> {
    const started = await oauth("/api/oauth/device/code", { client_id: "cli" });
    expect(started.status).toBe(200);
    return { deviceCode: started.body.device_code, userCode: started.body.user_code };
  }

  /** The decision the /device page takes, written as it would be (the page has its own tests). */
  async function decide(userCode: string, userId: string, status: "approved" | "denied"): Promise<void> {
    await query(server.databaseUrl, `UPDATE device_authorizations SET status = $2, user_id = $3, decided_at = now() WHERE user_code = $1`, [
      userCode.replace("-", ""),
      status,
      userId,
    ]);
  }

  const poll = (deviceCode: string, clientId = "cli") => oauth("/api/oauth/token", { grant_type: GRANT, device_code: deviceCode, client_id: clientId });

  async function deviceToken(userId: string): Promise<string> {
    const { deviceCode, userCode } = await startFlow();
    await decide(userCode, userId, "approved");
    const token = await poll(deviceCode);
    expect(token.status).toBe(200);
    return token.body.access_token;
  }

  async function apiKey(browser: Tab): Promise<{ id: string; secret: string }> {
    const created = await browser.post("/api/api-keys", { name: "deploy" });
    expect(created.status).toBe(201);
    return { id: created.body.apiKey.id, secret: created.body.secret };
  }

  describe("GET /api/me", () => {
    it("names the user and the credential: session cookie, API key and device token", async () => {
      const { browser, userId } = await verifiedUser();
      const bySession = await browser.get("/api/me");
      expect(bySession.status).toBe(200);
      expect(bySession.body.user).toMatchObject({ id: userId, emailVerified: true });
      expect(bySession.body.credential).toMatchObject({ kind: "session", id: expect.any(String), name: expect.any(String) });

      const key = await apiKey(browser);
      const byKey = await device().get("/api/me", withBearer(key.secret));
      expect(byKey.status).toBe(200);
      expect(byKey.body).toEqual({ user: bySession.body.user, credential: { kind: "api-key", id: key.id, name: "deploy" } });

      const token = await deviceToken(userId);
      expect(token).toMatch(/^nah_dt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      const byDevice = await device().get("/api/me", withBearer(token));
      expect(byDevice.status).toBe(200);
      expect(byDevice.body.credential).toMatchObject({ kind: "device", name: "nextauth-hex command line" });
      expect(byDevice.headers["cache-control"]).toBe("no-store");
    });

    it("accepts a bearer from a cross-site Origin (no cookie is involved) and records its last use", async () => {
      const { browser } = await verifiedUser();
      const key = await apiKey(browser);
      const response = await device().get("/api/me", withBearer(key.secret, { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" }));
      expect(response.status).toBe(200);
      const [row] = await query<{ last_used_at: Date | null }>(server.databaseUrl, "SELECT last_used_at FROM api_keys WHERE id = $1", [key.id]);
      expect(row!.last_used_at).not.toBeNull();
    });

    it("refuses a session JWT sent as a bearer (401), and never falls back to the cookie", async () => {
      const { browser } = await verifiedUser();
      const jwt = browser.session!;
      const asBearer = await device().get("/api/me", withBearer(jwt));
      expect(asBearer.status).toBe(401);
      expect(asBearer.body.error.code).toBe("UNAUTHENTICATED");
      expect(asBearer.headers["www-authenticate"]).toMatch(/^Bearer/);
      const both = await browser.get("/api/me", { headers: { Authorization: "Bearer nonsense" } });
      expect(both.status).toBe(401);
    });

    it("refuses a revoked API key and a revoked device token on the next request", async () => {
      const { browser, userId } = await verifiedUser();
      const key = await apiKey(browser);
      expect((await device().get("/api/me", withBearer(key.secret))).status).toBe(200);
      expect((await browser.delete(`/api/api-keys/${key.id}`)).status).toBe(204);
      expect((await device().get("/api/me", withBearer(key.secret))).status).toBe(401);

      const token = await deviceToken(userId);
      const listed = await browser.get("/api/devices");
      expect(listed.status).toBe(200);
      expect((await browser.delete(`/api/devices/${listed.body.devices[0].id}`)).status).toBe(204);
      expect((await device().get("/api/me", withBearer(token))).status).toBe(401);
    });
  });

  describe("least privilege", () => {
    const NON_READ_ROUTES: Array<[string, string, unknown?]> = [
      ["POST", "/api/auth/sign-up", { email: "x@example.com", password: "whatever-password-1" }],
      ["POST", "/api/auth/sign-in", { email: "x@example.com", password: "whatever-password-1" }],
      ["POST", "/api/auth/sign-out"],
      ["POST", "/api/auth/sign-out-all"],
      ["GET", "/api/auth/session"],
      ["GET", "/api/auth/sessions"],
      ["DELETE", "/api/auth/sessions/some-id"],
      ["POST", "/api/auth/verify-email", { token: "x" }],
      ["POST", "/api/auth/verify-email/resend"],
      ["POST", "/api/auth/password-reset", { email: "x@example.com" }],
      ["POST", "/api/auth/password-reset/confirm", { token: "x", password: "whatever-password-1" }],
      ["POST", "/api/auth/change-password", { currentPassword: "a", newPassword: "whatever-password-1" }],
      ["DELETE", "/api/account", { password: "a" }],
      ["POST", "/api/api-keys", { name: "minted by a bearer" }],
      ["GET", "/api/api-keys"],
      ["DELETE", "/api/api-keys/some-id"],
      ["GET", "/api/devices"],
      ["DELETE", "/api/devices/some-id"],
      ["POST", "/api/teams", { name: "made by a bearer" }],
      ["PATCH", "/api/teams/some-id", { name: "renamed by a bearer" }],
      ["DELETE", "/api/teams/some-id"],
      ["POST", "/api/teams/some-id/invitations", { email: "x@example.com", role: "member" }],
      ["DELETE", "/api/teams/some-id/invitations/some-id"],
      ["PATCH", "/api/teams/some-id/members/some-id", { role: "admin" }],
      ["DELETE", "/api/teams/some-id/members/some-id"],
      ["POST", "/api/invitations/accept", { token: "x" }],
      ["POST", "/api/invitations/decline", { token: "x" }],
    ];

    it.each(["api-key", "device"] as const)("answers a valid %s 403 SESSION_REQUIRED on every route but the read routes, and changes nothing", async (kind) => {
      const { browser, userId } = await verifiedUser();
      const secret = kind === "api-key" ? (await apiKey(browser)).secret : await deviceToken(userId);
      for (const [method, path, body] of NON_READ_ROUTES) {
        const response = await device().send(method as "GET", path, { ...withBearer(secret), body });
        expect({ method, path, status: response.status, code: response.body.error?.code }).toEqual({ method, path, status: 403, code: "SESSION_REQUIRED" });
      }
      const keys = await query(server.databaseUrl, "SELECT name FROM api_keys WHERE user_id = $1", [userId]);
      expect(keys.map((k) => k.name)).not.toContain("minted by a bearer");
      expect((await device().get("/api/me", withBearer(secret))).status).toBe(200);
    });

    it.each(["api-key", "device"] as const)("opens the team reads to a %s: GET /api/teams and GET /api/teams/:id, own teams only", async (kind) => {
      const { browser, userId } = await verifiedUser();
      const created = await browser.post("/api/teams", { name: "Read by a bearer" });
      expect(created.status).toBe(201);
      const teamId = created.body.team.id as string;
      const stranger = await verifiedUser();
      const theirs = await stranger.browser.post("/api/teams", { name: "Not yours" });
      expect(theirs.status).toBe(201);
      const secret = kind === "api-key" ? (await apiKey(browser)).secret : await deviceToken(userId);

      const list = await device().get("/api/teams", withBearer(secret));
      expect(list.status).toBe(200);
      expect(list.body.teams).toEqual([{ id: teamId, name: "Read by a bearer", role: "owner" }]);
      const one = await device().get(`/api/teams/${teamId}`, withBearer(secret));
      expect(one.status).toBe(200);
      expect(one.body.members.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([[userId, "owner"]]);
      expect((await device().get(`/api/teams/${theirs.body.team.id}`, withBearer(secret))).status).toBe(404);
      // The same routes' writes stay session only.
      const rename = await device().send("PATCH", `/api/teams/${teamId}`, { ...withBearer(secret), body: { name: "Renamed by a bearer" } });
      expect({ status: rename.status, code: rename.body.error?.code }).toEqual({ status: 403, code: "SESSION_REQUIRED" });
      expect((await browser.get(`/api/teams/${teamId}`)).body.team.name).toBe("Read by a bearer");
      const teams = await query(server.databaseUrl, "SELECT name FROM teams WHERE name = $1", ["made by a bearer"]);
      expect(teams).toEqual([]);
    });

    it("answers a bearer that is no credential 401 on a session-only route, even with a valid cookie", async () => {
      const { browser } = await verifiedUser();
      const jwt = await browser.get("/api/auth/session", { headers: { Authorization: `Bearer ${browser.session}` } });
      expect(jwt.status).toBe(401);
      const created = await browser.post("/api/api-keys", { name: "with a junk bearer" }, { headers: { Authorization: "Bearer ak_junk" } });
      expect(created.status).toBe(401);
      expect((await browser.get("/api/api-keys")).body.apiKeys).toEqual([]);
    });
  });

  describe("the /device link", () => {
    it("moves the user code out of the URL into a short-lived cookie of the page, then asks for sign-in", async () => {
      const { userCode } = await startFlow();
      const opened = await device().get(`/device?user_code=${userCode}`, { origin: null });
      expect(opened.status).toBe(303);
      expect(opened.headers.location).toMatch(/\/device$/);
      expect(opened.headers["referrer-policy"]).toBe("no-referrer");
      const cookie = String(opened.headers["set-cookie"]);
      expect(cookie).toContain(`device-user-code=${userCode.replace("-", "")}`);
      expect(cookie).toMatch(/Path=\/device/);
      expect(cookie).toMatch(/HttpOnly/i);
      const page = await device().get("/device", { origin: null });
      expect(page.status).toBe(307);
      expect(page.headers.location).toContain("/sign-in?next=%2Fdevice");
    });
  });

  describe("POST /api/oauth/device/code", () => {
    it.each(["form", "json"] as const)("answers the RFC 8628 §3.2 fields to a %s body", async (as) => {
      const response = await oauth("/api/oauth/device/code", { client_id: "cli", scope: "profile" }, as);
      expect(response.status).toBe(200);
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.body).toEqual({
        device_code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        user_code: expect.stringMatching(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/),
        verification_uri: `${server.url}/device`,
        verification_uri_complete: `${server.url}/device?user_code=${response.body.user_code}`,
        expires_in: 600,
        interval: 5,
      });
      const rows = await query(server.databaseUrl, "SELECT * FROM device_authorizations WHERE user_code = $1", [response.body.user_code.replace("-", "")]);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(response.body.device_code);
    });

    it("answers 401 invalid_client to an unknown client and 400 invalid_request without one", async () => {
      const unknown = await oauth("/api/oauth/device/code", { client_id: "evil" });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual({ error: "invalid_client", error_description: expect.any(String) });
      const missing = await oauth("/api/oauth/device/code", {});
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe("invalid_request");
      const wrongType = await device().send("POST", "/api/oauth/device/code", { raw: "client_id=cli", contentType: "text/plain", origin: null });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.error).toBe("invalid_request");
    });
  });

  describe("POST /api/oauth/token (RFC 8628 §3.5)", () => {
    const errorOf = (response: Response) => ({ status: response.status, error: response.body.error, noStore: response.headers["cache-control"] });

    it("authorization_pending, then slow_down when polled within the interval", async () => {
      const { deviceCode, userCode } = await startFlow();
      expect(errorOf(await poll(deviceCode))).toEqual({ status: 400, error: "authorization_pending", noStore: "no-store" });
      expect(errorOf(await poll(deviceCode))).toEqual({ status: 400, error: "slow_down", noStore: "no-store" });
      const [row] = await query<{ interval_seconds: number }>(server.databaseUrl, "SELECT interval_seconds FROM device_authorizations WHERE user_code = $1", [
        userCode.replace("-", ""),
      ]);
      expect(row!.interval_seconds).toBe(10);
    });

    it("access_denied for a denied code", async () => {
      const { userId } = await verifiedUser();
      const { deviceCode, userCode } = await startFlow();
      await decide(userCode, userId, "denied");
      expect(errorOf(await poll(deviceCode))).toEqual({ status: 400, error: "access_denied", noStore: "no-store" });
    });

    it("expired_token for an expired code", async () => {
      const { deviceCode, userCode } = await startFlow();
      await query(server.databaseUrl, "UPDATE device_authorizations SET expires_at = now() - interval '1 second' WHERE user_code = $1", [userCode.replace("-", "")]);
      expect(errorOf(await poll(deviceCode))).toEqual({ status: 400, error: "expired_token", noStore: "no-store" });
    });

    it("one token for an approved code, then invalid_grant; a JSON body works alike", async () => {
      const { userId } = await verifiedUser();
      const { deviceCode, userCode } = await startFlow();
      await decide(userCode, userId, "approved");
      const token = await oauth("/api/oauth/token", { grant_type: GRANT, device_code: deviceCode, client_id: "cli" }, "json");
      expect(token.status).toBe(200);
      expect(token.headers["cache-control"]).toBe("no-store");
      expect(token.body).toEqual({ access_token: expect.stringMatching(/^nah_dt_/), token_type: "Bearer", expires_in: 2592000 });
      await query(server.databaseUrl, "UPDATE device_authorizations SET last_polled_at = NULL WHERE user_code = $1", [userCode.replace("-", "")]);
      expect(errorOf(await poll(deviceCode))).toEqual({ status: 400, error: "invalid_grant", noStore: "no-store" });
      const rows = await query(server.databaseUrl, "SELECT * FROM device_tokens WHERE user_id = $1", [userId]);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(token.body.access_token);
    });

    it("gives concurrent polls of an approved code exactly one token", async () => {
      const { userId } = await verifiedUser();
      const { deviceCode, userCode } = await startFlow();
      await decide(userCode, userId, "approved");
      const results = await Promise.all(Array.from({ length: 10 }, () => poll(deviceCode)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      // A poll that comes after the redemption finds a spent code; one that races it is too soon.
      for (const loser of results.filter((r) => r.status !== 200)) expect(["slow_down", "invalid_grant"]).toContain(loser.body.error);
      expect(await query(server.databaseUrl, "SELECT 1 FROM device_tokens WHERE user_id = $1", [userId])).toHaveLength(1);
    });

    it("invalid_grant for an unknown code, unsupported_grant_type, invalid_client, invalid_request", async () => {
      const { deviceCode } = await startFlow();
      expect(errorOf(await poll("not-a-device-code"))).toMatchObject({ status: 400, error: "invalid_grant" });
      expect(errorOf(await oauth("/api/oauth/token", { grant_type: "password", device_code: deviceCode, client_id: "cli" }))).toMatchObject({
        status: 400,
        error: "unsupported_grant_type",
      });
      expect(errorOf(await poll(deviceCode, "evil"))).toMatchObject({ status: 401, error: "invalid_client" });
      expect(errorOf(await oauth("/api/oauth/token", { grant_type: GRANT, client_id: "cli" }))).toMatchObject({ status: 400, error: "invalid_request" });
      const repeated = await device().send("POST", "/api/oauth/token", {
        raw: `grant_type=${encodeURIComponent(GRANT)}&client_id=cli&device_code=a&device_code=b`,
        contentType: "application/x-www-form-urlencoded",
        origin: null,
      });
      expect(errorOf(repeated)).toMatchObject({ status: 400, error: "invalid_request" });
    });
  });

  it.each([
    ["malformed JSON", { raw: "{not json", contentType: "application/json" }],
    ["a JSON array", { raw: "[]", contentType: "application/json" }],
    ["a number where a string belongs", { raw: JSON.stringify({ client_id: 7 }), contentType: "application/json" }],
    ["invalid UTF-8", { raw: Buffer.from([0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x5f, 0x69, 0x64, 0x3d, 0xff, 0xfe]), contentType: "application/x-www-form-urlencoded" }],
    ["a body over 16 KiB", { raw: `client_id=${"x".repeat(20_000)}`, contentType: "application/x-www-form-urlencoded" }],
    ["no body at all", { contentType: null }],
  ] as const)("answers %s on every OAuth endpoint with a 4xx in the OAuth shape, never a 500", async (_label, send) => {
    for (const path of ["/api/oauth/device/code", "/api/oauth/token", "/api/oauth/revoke"]) {
      const response = await device().send("POST", path, { ...send, origin: null, cookie: null } as Parameters<Tab["send"]>[2]);
      if (path === "/api/oauth/revoke" && response.status === 200) continue;
      expect({ path, clientError: response.status >= 400 && response.status < 500 }).toEqual({ path, clientError: true });
      expect(response.body).toEqual({ error: expect.any(String), error_description: expect.any(String) });
      expect(response.headers["cache-control"]).toBe("no-store");
    }
  });

  describe("POST /api/oauth/revoke (RFC 7009)", () => {
    it("answers 200 for any token, and a revoked device token opens nothing more", async () => {
      const { userId } = await verifiedUser();
      const token = await deviceToken(userId);
      expect((await oauth("/api/oauth/revoke", { token: "nonsense" })).status).toBe(200);
      const revoked = await oauth("/api/oauth/revoke", { token, token_type_hint: "access_token" });
      expect(revoked.status).toBe(200);
      expect(revoked.headers["cache-control"]).toBe("no-store");
      expect((await device().get("/api/me", withBearer(token))).status).toBe(401);
      expect((await oauth("/api/oauth/revoke", { token }, "json")).status).toBe(200);
    });
  });

  it("GET /.well-known/oauth-authorization-server names the endpoints and the grant (RFC 8414)", async () => {
    const response = await device().get("/.well-known/oauth-authorization-server", { origin: null });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      issuer: server.url,
      device_authorization_endpoint: `${server.url}/api/oauth/device/code`,
      token_endpoint: `${server.url}/api/oauth/token`,
      revocation_endpoint: `${server.url}/api/oauth/revoke`,
      grant_types_supported: [GRANT],
    });
  });

  describe("GET/DELETE /api/devices", () => {
    it("lists the user's device credentials without secrets, and only the user's own can be deleted", async () => {
      const ann = await verifiedUser();
      const bob = await verifiedUser();
      const token = await deviceToken(ann.userId);
      await device().get("/api/me", withBearer(token));
      const listed = await ann.browser.get("/api/devices");
      expect(listed.status).toBe(200);
      expect(listed.body.devices).toEqual([
        { id: expect.any(String), clientName: "nextauth-hex command line", createdAt: expect.any(String), lastUsedAt: expect.any(String), expiresAt: expect.any(String), ip: expect.any(String) },
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(token);
      expect((await bob.browser.get("/api/devices")).body.devices).toEqual([]);
      const id = listed.body.devices[0].id;
      expect((await bob.browser.delete(`/api/devices/${id}`)).status).toBe(404);
      expect((await device().get("/api/me", withBearer(token))).status).toBe(200);
      expect((await ann.browser.delete(`/api/devices/${id}`)).status).toBe(204);
      expect((await ann.browser.get("/api/devices")).body.devices).toEqual([]);
    });

    it("sign-out-all and a password change end the user's device tokens", async () => {
      const ann = await verifiedUser();
      const first = await deviceToken(ann.userId);
      expect((await ann.browser.post("/api/auth/change-password", { currentPassword: ann.password, newPassword: "a brand new passphrase 8" })).status).toBe(200);
      expect((await device().get("/api/me", withBearer(first))).status).toBe(401);
      const second = await deviceToken(ann.userId);
      expect((await ann.browser.post("/api/auth/sign-out-all")).status).toBe(204);
      expect((await device().get("/api/me", withBearer(second))).status).toBe(401);
    });
  });
});
