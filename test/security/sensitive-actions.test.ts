/**
 * Sensitive actions from outside: an API key needs an address verified as the database says now (a
 * forged claim in the cookie changes nothing), and deletion or a password change needs the password.
 */
import { SignJWT } from "jose";
import { Database, describeWithDatabase, startApp, START_TIMEOUT_MS, TEST_JWT_SECRET, type NextServer } from "../support/security-app";
import { Browser, decodeJwt, isErrorBody, request, type HttpResponse } from "../support/security-http";
import { expectStatus, hiddenFields, isSignedIn, postForm, signIn, signUp, verifiedAccount } from "./flows";
import { REQUIREMENTS } from "./requirements";

let app: NextServer;
let db: Database;

beforeAll(async () => {
  app = await startApp();
  db = new Database(app.databaseUrl);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await db?.close();
  await app?.stop();
});

function refused(response: HttpResponse, status: number, code: string): void {
  if (response.status !== status || !isErrorBody(response.json) || response.json.error.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${response.status}: ${response.text.slice(0, 200)}`);
  }
}

async function keysOf(userId: string): Promise<number> {
  return (await db.query(`SELECT 1 FROM api_keys WHERE user_id = $1`, [userId])).length;
}

async function eventsOf(userId: string, type: string): Promise<number> {
  return (await db.query(`SELECT 1 FROM auth_events WHERE user_id = $1 AND type = $2`, [userId, type])).length;
}

describeWithDatabase(REQUIREMENTS.sensitive.verifiedEmail, () => {
  it("an unverified address gets 403 EMAIL_NOT_VERIFIED and nothing happens: no key, no event", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    refused(await browser.post("/api/api-keys", { name: "ci" }), 403, "EMAIL_NOT_VERIFIED");
    expect(await keysOf(account.userId)).toBe(0);
    expect(await eventsOf(account.userId, "api-key.created")).toBe(0);
    expect((await browser.get("/api/api-keys")).json.apiKeys).toEqual([]);
  });

  it("a cookie claiming a verified address (forged with the real key) changes nothing: the database decides", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const { payload } = decodeJwt(browser.cookie!);
    const forged = await new SignJWT({ sid: payload.sid, email_verified: true, emailVerified: true, verified: true, role: "admin", email: account.email })
      .setProtectedHeader({ alg: "HS256", typ: "session+jwt" })
      .setSubject(String(payload.sub))
      .setIssuer(String(payload.iss))
      .setAudience(String(payload.aud))
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    expect(await isSignedIn(app, forged)).toBe(true);
    refused(await browser.post("/api/api-keys", { name: "forged" }, { cookie: forged }), 403, "EMAIL_NOT_VERIFIED");
    expect(await keysOf(account.userId)).toBe(0);
  });

  it("verified now, then not: the next request is refused with the same session (read on every request)", async () => {
    const browser = Browser.of(app);
    const account = await verifiedAccount(app, browser);
    const created = await browser.post("/api/api-keys", { name: "first" });
    expectStatus(created, 201);
    expect(created.json.secret).toMatch(/^ak_/);
    await db.timeTravel(`UPDATE users SET email_verified_at = NULL WHERE id = $1`, [account.userId]);
    refused(await browser.post("/api/api-keys", { name: "second" }), 403, "EMAIL_NOT_VERIFIED");
    expect(await keysOf(account.userId)).toBe(1);
  });

  it("the API-keys page's own form refuses an unverified user the same way", async () => {
    // The form (and its action id) as a verified user sees it; the unverified user posts the same form.
    const verifiedTab = Browser.of(app);
    const verified = await verifiedAccount(app, verifiedTab);
    const page = await verifiedTab.get("/dashboard/api-keys", { headers: { Accept: "text/html" } });
    const form = [...page.text.matchAll(/<form[\s\S]*?<\/form>/g)].map((m) => m[0]).find((f) => /name="name"/.test(f));
    expect(form).toBeDefined();
    const fields = hiddenFields(form!);
    const unverifiedTab = Browser.of(app);
    const unverified = await signUp(unverifiedTab);
    const response = await postForm(app.url, "/dashboard/api-keys", [...fields, ["name", "from the form"]], { Origin: app.url, Cookie: `session=${unverifiedTab.cookie}` });
    expect(response.status).toBeLessThan(500);
    expect(await keysOf(unverified.userId)).toBe(0);
    // The same post by the verified user creates a key: the refusal above was the verification check.
    await postForm(app.url, "/dashboard/api-keys", [...fields, ["name", "from the form"]], { Origin: app.url, Cookie: `session=${verifiedTab.cookie}` });
    expect(await keysOf(verified.userId)).toBe(1);
  });

  it("the secret is shown once: never listed again, and another user's key cannot be revoked (404)", async () => {
    const owner = Browser.of(app);
    const ownerAccount = await verifiedAccount(app, owner);
    const created = await owner.post("/api/api-keys", { name: "deploy" });
    expectStatus(created, 201);
    // A public prefix to tell keys apart, then 256 random bits.
    expect(created.json.secret).toMatch(/^ak_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.json.secret.split("_").slice(2).join("_"), "base64url").byteLength).toBe(32);
    const list = await owner.get("/api/api-keys");
    expect(list.text).not.toContain(created.json.secret);
    expect(list.text).not.toContain(created.json.secret.slice(-20));
    const stranger = Browser.of(app);
    await verifiedAccount(app, stranger);
    refused(await stranger.delete(`/api/api-keys/${created.json.apiKey.id}`), 404, "NOT_FOUND");
    expect(await keysOf(ownerAccount.userId)).toBe(1);
    expectStatus(await owner.delete(`/api/api-keys/${created.json.apiKey.id}`), 204);
  });
});

describeWithDatabase(REQUIREMENTS.sensitive.reauthentication, () => {
  it("account deletion without the password, or with a wrong one, deletes nothing and keeps the session", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    refused(await browser.delete("/api/account", {}), 400, "VALIDATION_FAILED");
    refused(await browser.delete("/api/account", { password: "" }), 401, "INVALID_CREDENTIALS");
    refused(await browser.delete("/api/account", { password: "not my password" }), 401, "INVALID_CREDENTIALS");
    refused(await browser.delete("/api/account", { password: account.password.toUpperCase() }), 401, "INVALID_CREDENTIALS");
    expect((await request(app.url, "/api/account", { method: "DELETE", headers: { Origin: app.url, Cookie: `session=${browser.cookie}` } })).status).toBeGreaterThanOrEqual(400);
    expect(await isSignedIn(app, browser.cookie)).toBe(true);
    expect(await db.query(`SELECT 1 FROM users WHERE id = $1`, [account.userId])).toHaveLength(1);
    expectStatus(await browser.delete("/api/account", { password: account.password }), 204);
    expect(await db.query(`SELECT 1 FROM users WHERE id = $1`, [account.userId])).toHaveLength(0);
  });

  it("the settings page's delete form needs the password too", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const page = await browser.get("/dashboard/settings", { headers: { Accept: "text/html" } });
    const forms = [...page.text.matchAll(/<form[\s\S]*?<\/form>/g)].map((m) => m[0]);
    const deleteForm = forms.find((form) => /name="password"/.test(form) && !/newPassword|currentPassword/.test(form));
    expect(deleteForm).toBeDefined();
    const fields = hiddenFields(deleteForm!);
    const response = await postForm(app.url, "/dashboard/settings", [...fields, ["password", "wrong password here"]], { Origin: app.url, Cookie: `session=${browser.cookie}` });
    expect(response.status).toBeLessThan(500);
    expect(await db.query(`SELECT 1 FROM users WHERE id = $1`, [account.userId])).toHaveLength(1);
    // With the password the same form deletes: the refusal above was the password check.
    await postForm(app.url, "/dashboard/settings", [...fields, ["password", account.password]], { Origin: app.url, Cookie: `session=${browser.cookie}` });
    expect(await db.query(`SELECT 1 FROM users WHERE id = $1`, [account.userId])).toHaveLength(0);
  });

  it("a password change needs the current password: missing or wrong is refused and changes nothing", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    refused(await browser.post("/api/auth/change-password", { newPassword: "a new good passphrase" }), 400, "VALIDATION_FAILED");
    const wrong = await browser.post("/api/auth/change-password", { currentPassword: "not it at all", newPassword: "a new good passphrase" });
    refused(wrong, 401, "INVALID_CREDENTIALS");
    expect(wrong.json.error.fields?.currentPassword).toBeDefined();
    expect(await isSignedIn(app, browser.cookie)).toBe(true);
    await signIn(Browser.of(app), account);
    expect((await Browser.of(app).post("/api/auth/sign-in", { email: account.email, password: "a new good passphrase" })).status).toBe(401);
  });

  it("the current password is checked against the stored hash now: after a reset elsewhere the old one no longer deletes", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const other = Browser.of(app);
    await signIn(other, account);
    expectStatus(await other.post("/api/auth/change-password", { currentPassword: account.password, newPassword: "changed on the other device" }), 200);
    // This device was signed out by the change; signing in again with the new password, the old one is useless.
    await signIn(browser, { email: account.email, password: "changed on the other device" });
    refused(await browser.delete("/api/account", { password: account.password }), 401, "INVALID_CREDENTIALS");
    expect(await db.query(`SELECT 1 FROM users WHERE id = $1`, [account.userId])).toHaveLength(1);
  });
});
