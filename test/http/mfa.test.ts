/**
 * The second factor over HTTP, against the built app on PostgreSQL with mail captured over SMTP: every
 * route and refusal, the two-step sign-in with its challenge cookie, single-use codes under concurrent
 * requests, and step-up with a code. Codes are computed from the secret the setup route hands out.
 */
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import { TestAuthenticator } from "../support/authenticator";
import { linkToken, PASSWORD, setCookies, signUp, Tab, uniqueEmail, type Response } from "./http-client";

const FRESH_WINDOW = 30;
const CHALLENGE = "mfa-challenge";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Every code is accepted once, so a test that spends more codes than the ±1-step window holds waits
// for the next 30-s step; with the requests around it, that can pass Jest's default 30 s.
jest.setTimeout(120_000);

describeWithPostgres("The second factor over HTTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer({ env: { FRESH_AUTH_MAX_AGE: String(FRESH_WINDOW) } });
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const challengeOf = (response: Response) => setCookies(response).find((c) => c.name === CHALLENGE);

  /** A signed-in account with TOTP on: its authenticator, recovery codes and the browser. */
  async function withTotp() {
    const browser = new Tab(server.url);
    const { email, userId } = await signUp(browser, uniqueEmail("mfa"));
    const setup = await browser.post("/api/auth/mfa/totp/setup");
    expect(setup.status).toBe(200);
    const app = new TestAuthenticator(setup.body.secret);
    const enabled = await browser.post("/api/auth/mfa/totp/enable", { code: await app.nextCode() });
    expect(enabled.status).toBe(200);
    return { browser, email, userId, app, recoveryCodes: enabled.body.recoveryCodes as string[], setup: setup.body };
  }

  /** The password step: 202 and the challenge cookie's value. */
  async function passwordStep(tab: Tab, email: string, password = PASSWORD): Promise<string> {
    const response = await tab.post("/api/auth/sign-in", { email, password });
    expect(response.status).toBe(202);
    return challengeOf(response)!.value;
  }

  const secondStep = (tab: Tab, challenge: string | null, body: unknown, origin?: string) =>
    tab.post("/api/auth/sign-in/mfa", body, { headers: challenge ? { Cookie: `${CHALLENGE}=${challenge}` } : {}, cookie: null, origin });

  it("sets up with the QR code and the secret, turns on with a code (10 recovery codes shown once), and keeps the seed sealed", async () => {
    const browser = new Tab(server.url);
    expect((await browser.post("/api/auth/mfa/totp/setup")).status).toBe(401);
    const { userId } = await signUp(browser, uniqueEmail("mfa"));
    expect((await browser.get("/api/auth/mfa")).body).toEqual({ totp: "off", enabledAt: null, recoveryCodesLeft: 0 });

    const refusedBody = await browser.post("/api/auth/mfa/totp/setup", { secret: "mine" });
    expect(refusedBody.status).toBe(400);
    const setup = await browser.post("/api/auth/mfa/totp/setup");
    expect(setup.status).toBe(200);
    expect(setup.headers["cache-control"]).toBe("no-store");
    expect(setup.body).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\//), qrSvg: expect.stringMatching(/^<svg/) });
    expect(new URL(setup.body.otpauthUrl).searchParams.get("secret")).toBe(setup.body.secret);

    const [row] = await query<{ secret_sealed: Buffer; enabled_at: Date | null }>(server.databaseUrl, "SELECT secret_sealed, enabled_at FROM totp_factors WHERE user_id = $1", [userId]);
    expect(row!.enabled_at).toBeNull();
    expect(row!.secret_sealed.toString("latin1")).not.toContain(setup.body.secret);

    const app = new TestAuthenticator(setup.body.secret);
    for (const code of ["000000", "12345", "abcdef"]) {
      const wrong = await browser.post("/api/auth/mfa/totp/enable", { code });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe("INVALID_MFA_CODE");
    }
    expect((await browser.post("/api/auth/mfa/totp/enable", { code: 123456 })).status).toBe(400);
    const enabled = await browser.post("/api/auth/mfa/totp/enable", { code: await app.nextCode() });
    expect(enabled.status).toBe(200);
    expect(enabled.body.recoveryCodes).toHaveLength(10);
    const hashes = await query<{ code_hash: string }>(server.databaseUrl, "SELECT code_hash FROM recovery_codes WHERE user_id = $1", [userId]);
    expect(hashes).toHaveLength(10);
    for (const { code_hash } of hashes) expect(code_hash).toMatch(/^\$argon2id\$/);
    expect(await server.smtp.waitFor((m) => /turned on/.test(m.subject), 10_000)).toBeTruthy();

    const again = await browser.post("/api/auth/mfa/totp/setup");
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("MFA_ALREADY_ENABLED");
    const twice = await browser.post("/api/auth/mfa/totp/enable", { code: await app.nextCode() });
    expect(twice.status).toBe(409);
    expect((await browser.get("/api/auth/mfa")).body).toMatchObject({ totp: "on", recoveryCodesLeft: 10 });
  });

  it("refuses to enable before set-up", async () => {
    const browser = new Tab(server.url);
    await signUp(browser, uniqueEmail("mfa"));
    const early = await browser.post("/api/auth/mfa/totp/enable", { code: "123456" });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("MFA_SETUP_REQUIRED");
  });

  it("signs in in two steps: 202 and a short-lived challenge cookie without a session, then the code opens a new session", async () => {
    const { email, app } = await withTotp();
    const tab = new Tab(server.url);
    const first = await tab.post("/api/auth/sign-in", { email, password: PASSWORD });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ mfa: { methods: ["totp", "recovery-code"] } });
    expect(setCookies(first).map((c) => c.name)).toEqual([CHALLENGE]);
    const cookie = challengeOf(first)!;
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(cookie.attributes.get("samesite")).toBe("Strict");
    expect(cookie.attributes.get("path")).toBe("/");
    // MFA_CHALLENGE_TTL (300 s) from the moment the challenge was made.
    expect(Number(cookie.attributes.get("max-age"))).toBeGreaterThan(290);
    expect(Number(cookie.attributes.get("max-age"))).toBeLessThanOrEqual(300);
    expect(tab.session).toBeNull();
    // The challenge is no session: nothing signed-in opens with it.
    expect((await tab.get("/api/auth/session", { headers: { Cookie: `${CHALLENGE}=${cookie.value}` } })).status).toBe(401);
    expect((await tab.get("/api/auth/session", { headers: { Cookie: `session=${cookie.value}` } })).status).toBe(401);

    const wrong = await secondStep(tab, cookie.value, { code: "000000" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: "INVALID_MFA_CODE", fields: { code: expect.any(String) } });
    expect(challengeOf(wrong)).toBeUndefined();

    const code = await app.nextCode();
    const second = await secondStep(tab, cookie.value, { code });
    expect(second.status).toBe(200);
    expect(second.body.user.email).toBe(email);
    expect(challengeOf(second)?.attributes.get("max-age")).toBe("0");
    expect(tab.session).toEqual(expect.any(String));
    const session = await tab.get("/api/auth/session");
    expect(session.body.session.authMethods).toEqual(["password", "totp"]);

    const reused = await secondStep(tab, cookie.value, { code: await app.nextCode() });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe("MFA_CHALLENGE_INVALID");
    const replayed = await secondStep(tab, await passwordStep(tab, email), { code });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe("INVALID_MFA_CODE");
  });

  it("refuses the second step without a challenge, with a made-up one, with both or neither proof, or from another site", async () => {
    const { email, app } = await withTotp();
    const tab = new Tab(server.url);
    const none = await secondStep(tab, null, { code: await app.nextCode() });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("MFA_CHALLENGE_INVALID");
    expect((await secondStep(tab, "made-up", { code: "123456" })).body.error.code).toBe("MFA_CHALLENGE_INVALID");

    const challenge = await passwordStep(tab, email);
    for (const body of [{}, { code: "123456", recoveryCode: "abcd-efgh-jkmn-pqrs" }, { code: "123456", extra: 1 }, { code: ["123456"] }]) {
      const refused = await secondStep(tab, challenge, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe("VALIDATION_FAILED");
    }
    const crossSite = await secondStep(tab, challenge, { code: await app.nextCode() }, "https://evil.example");
    expect(crossSite.status).toBe(403);
    // None of those spent the challenge.
    expect((await secondStep(tab, challenge, { code: await app.nextCode() })).status).toBe(200);
  });

  it("lets exactly one of several simultaneous second steps with the same code through", async () => {
    const { email, app } = await withTotp();
    const tabs = [new Tab(server.url), new Tab(server.url), new Tab(server.url)];
    const challenges = await Promise.all(tabs.map((tab) => passwordStep(tab, email)));
    const code = await app.nextCode();
    const answers = await Promise.all(tabs.map((tab, i) => secondStep(tab, challenges[i]!, { code })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
  });

  it("takes a recovery code once, also when two requests bring it at once", async () => {
    const { email, recoveryCodes } = await withTotp();
    const tab = new Tab(server.url);
    const used = await secondStep(tab, await passwordStep(tab, email), { recoveryCode: recoveryCodes[0]!.toUpperCase() });
    expect(used.status).toBe(200);
    expect((await tab.get("/api/auth/session")).body.session.authMethods).toEqual(["password", "recovery-code"]);
    const again = await secondStep(tab, await passwordStep(tab, email), { recoveryCode: recoveryCodes[0]! });
    expect(again.status).toBe(401);
    expect(again.body.error).toMatchObject({ code: "INVALID_MFA_CODE", fields: { recoveryCode: expect.any(String) } });

    const [a, b] = [new Tab(server.url), new Tab(server.url)];
    const [ca, cb] = await Promise.all([passwordStep(a, email), passwordStep(b, email)]);
    const both = await Promise.all([secondStep(a, ca, { recoveryCode: recoveryCodes[1]! }), secondStep(b, cb, { recoveryCode: recoveryCodes[1]! })]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it("throttles wrong codes: 429 with Retry-After after five, even for the right code", async () => {
    const { email, app } = await withTotp();
    const tab = new Tab(server.url);
    const challenge = await passwordStep(tab, email);
    for (let i = 0; i < 6; i++) expect((await secondStep(tab, challenge, { code: "000000" })).status).toBe(401);
    const waiting = await secondStep(tab, challenge, { code: await app.nextCode() });
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("makes new recovery codes (old ones void, a notice mailed) and turns off with a code (a notice mailed)", async () => {
    const { browser, email, app, recoveryCodes } = await withTotp();
    expect((await browser.post("/api/auth/mfa/recovery-codes", { codes: 3 })).status).toBe(400);
    const renewed = await browser.post("/api/auth/mfa/recovery-codes");
    expect(renewed.status).toBe(200);
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    await server.smtp.waitFor((m) => m.to.includes(email) && /recovery codes/i.test(m.subject), 10_000);
    const tab = new Tab(server.url);
    expect((await secondStep(tab, await passwordStep(tab, email), { recoveryCode: recoveryCodes[5]! })).status).toBe(401);

    const wrong = await browser.delete("/api/auth/mfa/totp", { code: "000000" });
    expect(wrong.status).toBe(401);
    expect((await browser.delete("/api/auth/mfa/totp", {})).status).toBe(400);
    expect((await browser.delete("/api/auth/mfa/totp", { code: await app.nextCode() })).status).toBe(204);
    await server.smtp.waitFor((m) => m.to.includes(email) && /turned off/.test(m.subject), 10_000);
    expect((await new Tab(server.url).post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(200);
    expect((await browser.delete("/api/auth/mfa/totp", { code: await app.nextCode() })).body.error.code).toBe("MFA_NOT_ENABLED");
    expect((await browser.post("/api/auth/mfa/recovery-codes")).body.error.code).toBe("MFA_NOT_ENABLED");
  });

  it("keeps the factor on after a password reset: the new password still leads to the second step", async () => {
    const { email, app } = await withTotp();
    expect((await new Tab(server.url).post("/api/auth/password-reset", { email })).status).toBe(202);
    const mail = await server.smtp.waitFor((m) => m.to.includes(email) && /reset/i.test(m.subject), 10_000);
    const reset = await new Tab(server.url).post("/api/auth/password-reset/confirm", { token: linkToken(mail, server.url, "/reset-password"), password: "a brand new passphrase 9" });
    expect(reset.status).toBe(200);
    const tab = new Tab(server.url);
    const challenge = await passwordStep(tab, email, "a brand new passphrase 9");
    expect((await secondStep(tab, challenge, { code: await app.nextCode() })).status).toBe(200);
  });

  it(
    "needs fresh authentication for set-up, turning off and new recovery codes; re-authentication then asks for a code too",
    async () => {
      const { browser, app } = await withTotp();
      const plain = new Tab(server.url);
      await signUp(plain, uniqueEmail("mfa"));
      await sleep((FRESH_WINDOW + 1) * 1000);

      for (const [response, tab] of [
        [await plain.post("/api/auth/mfa/totp/setup"), plain],
        [await browser.post("/api/auth/mfa/recovery-codes"), browser],
        [await browser.delete("/api/auth/mfa/totp", { code: await app.nextCode() }), browser],
      ] as const) {
        expect(response.status).toBe(403);
        expect(response.body.error.code).toBe("REAUTHENTICATION_REQUIRED");
        void tab;
      }
      const passwordOnly = await browser.post("/api/auth/reauthenticate", { password: PASSWORD });
      expect(passwordOnly.status).toBe(401);
      expect(passwordOnly.body.error.code).toBe("MFA_CODE_REQUIRED");
      const before = browser.session;
      const stepped = await browser.post("/api/auth/reauthenticate", { password: PASSWORD, code: await app.nextCode() });
      expect(stepped.status).toBe(200);
      expect(browser.session).not.toBe(before);
      expect((await browser.get("/api/auth/session")).body.session.authMethods).toEqual(["password", "totp"]);
      expect((await browser.post("/api/auth/mfa/recovery-codes")).status).toBe(200);
    },
    120_000,
  );
});
