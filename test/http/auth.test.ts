/**
 * Sign-up, sign-in, the session, the session list, sign-out (one and all), session delete, password
 * change and account deletion, over HTTP against `next start` on PostgreSQL.
 */
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import { PASSWORD, SESSION_COOKIE, sessionCookieOf, signUp, Tab, uniqueEmail } from "./http-client";

describeWithPostgres("auth API over HTTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer();
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const tab = () => new Tab(server.url);

  describe("sign-up", () => {
    it("creates the account, answers 201 {user} with nothing secret, and signs the browser in", async () => {
      const browser = tab();
      const email = uniqueEmail();
      const response = await browser.post("/api/auth/sign-up", { email: `  ${email.toUpperCase()} `, password: PASSWORD });
      expect(response.status).toBe(201);
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.headers["content-type"]).toMatch(/^application\/json/);
      expect(Object.keys(response.body.user).sort()).toEqual(["createdAt", "email", "emailVerified", "id"]);
      expect(response.body.user).toMatchObject({ email, emailVerified: false });
      expect(JSON.stringify(response.body)).not.toMatch(/argon2|hash|token/i);
      expect(browser.session).toBeTruthy();

      const session = await browser.get("/api/auth/session");
      expect(session.status).toBe(200);
      expect(session.body.user.email).toBe(email);
    });

    it("sets the session cookie HttpOnly, Secure, SameSite=Lax, Path=/, without Domain, until the absolute expiry", async () => {
      const response = await tab().post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD });
      const cookie = sessionCookieOf(response)!;
      expect(cookie).toBeDefined();
      expect(cookie.attributes.has("httponly")).toBe(true);
      expect(cookie.attributes.has("secure")).toBe(true);
      expect(cookie.attributes.get("samesite")?.toLowerCase()).toBe("lax");
      expect(cookie.attributes.get("path")).toBe("/");
      expect(cookie.attributes.has("domain")).toBe(false);
      const maxAge = Number(cookie.attributes.get("max-age"));
      expect(maxAge).toBeGreaterThan(30 * 86400 - 60);
      expect(maxAge).toBeLessThanOrEqual(30 * 86400);
      // The token is a JWT carrying ids and times only: no e-mail or other personal data.
      const payload = JSON.parse(Buffer.from(cookie.value.split(".")[1]!, "base64url").toString("utf8"));
      expect(Object.keys(payload).sort()).toEqual(["aud", "exp", "iat", "iss", "sid", "sub"]);
      expect(JSON.stringify(payload)).not.toContain("@");
      // Never in the body.
      expect(JSON.stringify(response.body)).not.toContain(cookie.value);
    });

    it("refuses an address that is taken with 409 EMAIL_TAKEN, whatever its case", async () => {
      const { email } = await signUp(tab());
      const response = await tab().post("/api/auth/sign-up", { email: email.toUpperCase(), password: PASSWORD });
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe("EMAIL_TAKEN");
      expect(sessionCookieOf(response)).toBeUndefined();
    });

    it("answers an all-Cyrillic look-alike of a taken address exactly as the address, and creates no second account", async () => {
      const domain = `n${Date.now()}${Math.floor(Math.random() * 1e6)}.example.com`;
      const latin = `scope@${domain}`;
      // "ѕсоре": Cyrillic ѕ, с, о, р, е, no Latin letter among them.
      const cyrillic = `\u0455\u0441\u043e\u0440\u0435@${domain}`;
      await signUp(tab(), latin);

      const taken = await tab().post("/api/auth/sign-up", { email: latin, password: PASSWORD });
      const lookAlike = await tab().post("/api/auth/sign-up", { email: cyrillic, password: PASSWORD });
      expect(taken.status).toBe(409);
      expect({ status: lookAlike.status, body: lookAlike.body }).toEqual({ status: taken.status, body: taken.body });
      expect(sessionCookieOf(lookAlike)).toBeUndefined();
      expect(await query(server.databaseUrl, "SELECT email, email_skeleton FROM users WHERE email_skeleton = $1 OR email = $2", [latin, cyrillic])).toEqual([
        { email: latin, email_skeleton: latin },
      ]);
    });

    it("refuses a malformed address with 400 INVALID_EMAIL on the email field", async () => {
      const response = await tab().post("/api/auth/sign-up", { email: "not-an-address", password: PASSWORD });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("INVALID_EMAIL");
      expect(response.body.error.fields.email).toEqual(expect.any(String));
    });

    it.each([
      ["too short", "short1"],
      ["too common", "password123"],
      ["over 128 characters", "x".repeat(129)],
    ])("refuses a password that is %s with 400 WEAK_PASSWORD on the password field", async (_label, password) => {
      const response = await tab().post("/api/auth/sign-up", { email: uniqueEmail(), password });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("WEAK_PASSWORD");
      expect(response.body.error.fields.password).toEqual(expect.any(String));
    });

    it("refuses the user's own e-mail as password", async () => {
      const email = uniqueEmail("ownaddress");
      const response = await tab().post("/api/auth/sign-up", { email, password: email });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("WEAK_PASSWORD");
    });

    it("ends a session cookie presented at sign-up instead of keeping it beside the new one", async () => {
      const browser = tab();
      await signUp(browser);
      const old = browser.session!;
      await signUp(browser);
      expect(browser.session).not.toBe(old);
      expect((await browser.get("/api/auth/session", { cookie: old })).status).toBe(401);
    });
  });

  describe("sign-in", () => {
    it("answers 200 {user} with a new session cookie, a new session id each time", async () => {
      const { email } = await signUp(tab());
      const first = tab();
      const second = tab();
      const a = await first.post("/api/auth/sign-in", { email, password: PASSWORD });
      const b = await second.post("/api/auth/sign-in", { email: email.toUpperCase(), password: PASSWORD });
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(a.body.user.email).toBe(email);
      expect(a.headers["cache-control"]).toBe("no-store");
      const idA = (await first.get("/api/auth/session")).body.session.id;
      const idB = (await second.get("/api/auth/session")).body.session.id;
      expect(idA).not.toBe(idB);
    });

    it("gives the same 401 INVALID_CREDENTIALS, body and headers for a wrong password and an unknown e-mail", async () => {
      const { email } = await signUp(tab());
      const wrong = await tab().post("/api/auth/sign-in", { email, password: "wrong password entirely" });
      const unknown = await tab().post("/api/auth/sign-in", { email: uniqueEmail("nobody"), password: "wrong password entirely" });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.error.code).toBe("INVALID_CREDENTIALS");
      const comparable = (headers: Record<string, string>) => {
        // The date and the per-request id differ between any two answers.
        const { date: _date, "x-request-id": _requestId, ...rest } = headers;
        return rest;
      };
      expect(comparable(wrong.headers)).toEqual(comparable(unknown.headers));
      expect(sessionCookieOf(wrong)).toBeUndefined();
    });

    it("spends about as long on an unknown e-mail as on a wrong password (a dummy hash is verified)", async () => {
      const { email } = await signUp(tab());
      const wrong: number[] = [];
      const unknown: number[] = [];
      const timed = async (into: number[], body: unknown) => {
        const started = performance.now();
        expect((await tab().post("/api/auth/sign-in", body)).status).toBe(401);
        into.push(performance.now() - started);
      };
      // Interleaved, so load on the machine hits both alike.
      for (let i = 0; i < 8; i++) {
        await timed(wrong, { email, password: `wrong password ${i}` });
        await timed(unknown, { email: uniqueEmail("nobody"), password: `wrong password ${i}` });
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      // Without the dummy verify an unknown address answers several times faster than a real check.
      expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
      expect(median(wrong)).toBeGreaterThan(median(unknown) * 0.5);
    });

    it("answers a flood of sign-ins with 401 or a fast 503 OVERLOADED with Retry-After, never a 500", async () => {
      const { email } = await signUp(tab());
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) => tab().post("/api/auth/sign-in", { email: i % 2 ? email : uniqueEmail("flood"), password: `flood guess ${i}` })),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);
      const overloaded = responses.filter((r) => r.status === 503);
      expect(overloaded.length).toBeGreaterThan(0);
      for (const response of overloaded) {
        expect(response.body.error.code).toBe("OVERLOADED");
        expect(Number(response.headers["retry-after"])).toBeGreaterThanOrEqual(1);
        // Most are answered before Next.js routes them; they carry the same headers as any API answer.
        expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
        expect(response.headers["cache-control"]).toBe("no-store");
        expect(response.headers["x-content-type-options"]).toBe("nosniff");
        expect(response.headers["x-frame-options"]).toBe("DENY");
      }
      // The bound holds the excess back, it does not lose the product: a right password works afterwards.
      expect((await tab().post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(200);
    });

    it("ends the session of a cookie presented at sign-in (a planted cookie is never adopted)", async () => {
      const { email } = await signUp(tab());
      const browser = tab();
      await browser.post("/api/auth/sign-in", { email, password: PASSWORD });
      const before = browser.session!;
      await browser.post("/api/auth/sign-in", { email, password: PASSWORD });
      expect(browser.session).not.toBe(before);
      expect((await tab().get("/api/auth/session", { cookie: before })).status).toBe(401);
      expect((await browser.get("/api/auth/session")).status).toBe(200);
    });
  });

  describe("the session", () => {
    it("answers 401 UNAUTHENTICATED without a cookie, with a garbage cookie, and with a forged one", async () => {
      const none = await tab().get("/api/auth/session");
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe("UNAUTHENTICATED");
      expect(none.headers["cache-control"]).toBe("no-store");
      expect((await tab().get("/api/auth/session", { cookie: "garbage" })).status).toBe(401);

      const browser = tab();
      await signUp(browser);
      const [header, payload] = browser.session!.split(".");
      const forged = `${header}.${payload}.${Buffer.from("not the signature").toString("base64url")}`;
      const refused = await tab().get("/api/auth/session", { cookie: forged });
      expect(refused.status).toBe(401);
      // A dead cookie is cleared so the browser stops sending it.
      expect(sessionCookieOf(refused)?.attributes.get("max-age")).toBe("0");
    });

    it("accepts the token only from the cookie, not from an Authorization header or the query string", async () => {
      const browser = tab();
      await signUp(browser);
      const token = browser.session!;
      const bearer = await tab().get("/api/auth/session", { headers: { Authorization: `Bearer ${token}` } });
      expect(bearer.status).toBe(401);
      const queried = await tab().get(`/api/auth/session?session=${token}&token=${token}`);
      expect(queried.status).toBe(401);
    });

    it("lists the user's active sessions with the current one flagged, and nobody else's", async () => {
      const { email } = await signUp(new Tab(server.url, "Phone browser"));
      const laptop = new Tab(server.url, "Laptop browser");
      await laptop.post("/api/auth/sign-in", { email, password: PASSWORD });
      const stranger = tab();
      await signUp(stranger);

      const response = await laptop.get("/api/auth/sessions");
      expect(response.status).toBe(200);
      expect(response.headers["cache-control"]).toBe("no-store");
      const sessions = response.body.sessions as Array<Record<string, unknown>>;
      expect(sessions).toHaveLength(2);
      for (const session of sessions) {
        expect(Object.keys(session).sort()).toEqual(["authMethods", "createdAt", "current", "expiresAt", "id", "ip", "lastAuthenticatedAt", "lastSeenAt", "userAgent"]);
        expect(session.authMethods).toEqual(["password"]);
        expect(session.ip).toBe("127.0.0.1");
      }
      expect(sessions.filter((s) => s.current)).toEqual([expect.objectContaining({ userAgent: "Laptop browser" })]);
      expect(sessions.map((s) => s.userAgent).sort()).toEqual(["Laptop browser", "Phone browser"]);
    });

    it("unauthenticated list answers 401", async () => {
      expect((await tab().get("/api/auth/sessions")).status).toBe(401);
    });
  });

  describe("revocation is seen on the very next request", () => {
    it("sign-out answers 204, clears the cookie and ends that session only", async () => {
      const { email } = await signUp(tab());
      const a = tab();
      const b = tab();
      await a.post("/api/auth/sign-in", { email, password: PASSWORD });
      await b.post("/api/auth/sign-in", { email, password: PASSWORD });
      const token = a.session!;
      const response = await a.send("POST", "/api/auth/sign-out");
      expect(response.status).toBe(204);
      const cleared = sessionCookieOf(response)!;
      expect(cleared.value).toBe("");
      expect(cleared.attributes.get("max-age")).toBe("0");
      expect((await a.get("/api/auth/session", { cookie: token })).status).toBe(401);
      expect((await b.get("/api/auth/session")).status).toBe(200);
    });

    it("sign-out without a session still answers 204 and clears the cookie", async () => {
      const response = await tab().send("POST", "/api/auth/sign-out");
      expect(response.status).toBe(204);
      expect(sessionCookieOf(response)?.attributes.get("max-age")).toBe("0");
    });

    it("sign-out-all ends every session of the user, this one included, and no one else's", async () => {
      const { email } = await signUp(tab());
      const a = tab();
      const b = tab();
      await a.post("/api/auth/sign-in", { email, password: PASSWORD });
      await b.post("/api/auth/sign-in", { email, password: PASSWORD });
      const other = tab();
      await signUp(other);
      const tokenA = a.session!;
      const response = await a.send("POST", "/api/auth/sign-out-all", { body: {} });
      expect(response.status).toBe(204);
      expect(sessionCookieOf(response)?.attributes.get("max-age")).toBe("0");
      expect((await a.get("/api/auth/session", { cookie: tokenA })).status).toBe(401);
      expect((await b.get("/api/auth/session")).status).toBe(401);
      expect((await other.get("/api/auth/session")).status).toBe(200);
    });

    it("sign-out-all needs a session (401)", async () => {
      expect((await tab().send("POST", "/api/auth/sign-out-all")).status).toBe(401);
    });

    it("deleting one of my sessions ends it at once (204); another user's session id answers 404 and survives", async () => {
      const { email } = await signUp(tab());
      const mine = tab();
      const phone = tab();
      await mine.post("/api/auth/sign-in", { email, password: PASSWORD });
      await phone.post("/api/auth/sign-in", { email, password: PASSWORD });
      const phoneId = (await phone.get("/api/auth/session")).body.session.id;

      const stranger = tab();
      await signUp(stranger);
      const strangerId = (await stranger.get("/api/auth/session")).body.session.id;

      const foreign = await mine.delete(`/api/auth/sessions/${strangerId}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe("NOT_FOUND");
      expect((await stranger.get("/api/auth/session")).status).toBe(200);

      expect((await mine.delete("/api/auth/sessions/no-such-session")).status).toBe(404);

      const deleted = await mine.delete(`/api/auth/sessions/${phoneId}`);
      expect(deleted.status).toBe(204);
      expect((await phone.get("/api/auth/session")).status).toBe(401);
      expect((await mine.get("/api/auth/session")).status).toBe(200);
    });

    it("deleting the current session signs this browser out and clears its cookie", async () => {
      const browser = tab();
      await signUp(browser);
      const id = (await browser.get("/api/auth/session")).body.session.id;
      const token = browser.session!;
      const response = await browser.delete(`/api/auth/sessions/${id}`);
      expect(response.status).toBe(204);
      expect(sessionCookieOf(response)?.attributes.get("max-age")).toBe("0");
      expect((await tab().get("/api/auth/session", { cookie: token })).status).toBe(401);
    });

    it("session delete without a session answers 401", async () => {
      expect((await tab().delete("/api/auth/sessions/anything")).status).toBe(401);
    });
  });

  describe("change password", () => {
    it("needs the current password, rotates this browser's cookie and ends every other session", async () => {
      const browser = tab();
      const { email } = await signUp(browser);
      const other = tab();
      await other.post("/api/auth/sign-in", { email, password: PASSWORD });
      const before = browser.session!;

      const wrong = await browser.post("/api/auth/change-password", { currentPassword: "not my password at all", newPassword: "a brand new passphrase 42" });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe("INVALID_CREDENTIALS");
      expect(wrong.body.error.fields).toEqual({ currentPassword: expect.any(String) });
      // A wrong re-authentication does not sign the user out.
      expect((await browser.get("/api/auth/session")).status).toBe(200);
      expect((await other.get("/api/auth/session")).status).toBe(200);

      const weak = await browser.post("/api/auth/change-password", { currentPassword: PASSWORD, newPassword: "short" });
      expect(weak.status).toBe(400);
      expect(weak.body.error.code).toBe("WEAK_PASSWORD");
      expect(weak.body.error.fields.newPassword).toEqual(expect.any(String));

      const changed = await browser.post("/api/auth/change-password", { currentPassword: PASSWORD, newPassword: "a brand new passphrase 42" });
      expect(changed.status).toBe(200);
      expect(changed.headers["cache-control"]).toBe("no-store");
      const rotated = sessionCookieOf(changed)!;
      expect(rotated.value).not.toBe(before);
      expect(rotated.attributes.has("httponly")).toBe(true);

      expect((await browser.get("/api/auth/session")).status).toBe(200);
      expect((await other.get("/api/auth/session")).status).toBe(401);
      expect((await tab().get("/api/auth/session", { cookie: before })).status).toBe(401);

      expect((await tab().post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(401);
      expect((await tab().post("/api/auth/sign-in", { email, password: "a brand new passphrase 42" })).status).toBe(200);
    });

    it("answers 401 without a session", async () => {
      const response = await tab().post("/api/auth/change-password", { currentPassword: PASSWORD, newPassword: "a brand new passphrase 42" });
      expect(response.status).toBe(401);
    });
  });

  describe("account deletion", () => {
    it("needs the password; then deletes the user and everything of theirs, ends every session and clears the cookie", async () => {
      const browser = tab();
      const { email, userId } = await signUp(browser);
      const other = tab();
      await other.post("/api/auth/sign-in", { email, password: PASSWORD });

      const wrong = await browser.delete("/api/account", { password: "not my password at all" });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toMatchObject({ code: "INVALID_CREDENTIALS", fields: { password: expect.any(String) } });
      expect((await browser.get("/api/auth/session")).status).toBe(200);

      const missing = await browser.delete("/api/account", {});
      expect(missing.status).toBe(400);
      expect(missing.body.error.code).toBe("VALIDATION_FAILED");
      expect(missing.body.error.fields.password).toEqual(expect.any(String));

      const token = browser.session!;
      const deleted = await browser.delete("/api/account", { password: PASSWORD });
      expect(deleted.status).toBe(204);
      expect(sessionCookieOf(deleted)?.attributes.get("max-age")).toBe("0");
      expect((await tab().get("/api/auth/session", { cookie: token })).status).toBe(401);
      expect((await other.get("/api/auth/session")).status).toBe(401);
      expect((await tab().post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(401);

      for (const table of ["users", "sessions", "verification_tokens", "api_keys"]) {
        const column = table === "users" ? "id" : "user_id";
        const rows = await query(server.databaseUrl, `SELECT 1 FROM ${table} WHERE ${column} = $1`, [userId]);
        expect({ table, rows: rows.length }).toEqual({ table, rows: 0 });
      }
      // The address is free again.
      expect((await tab().post("/api/auth/sign-up", { email, password: PASSWORD })).status).toBe(201);
    });

    it("answers 401 without a session", async () => {
      expect((await tab().delete("/api/account", { password: PASSWORD })).status).toBe(401);
    });
  });

  it("uses the plain `session` cookie name on an http APP_URL (the __Host- prefix needs https)", async () => {
    const response = await tab().post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD });
    expect(sessionCookieOf(response)?.name).toBe(SESSION_COOKIE);
  });
});
