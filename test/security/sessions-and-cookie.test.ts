/**
 * Sessions and the cookie, attacked from outside: fixation, forged and replayed JWTs, tokens in the
 * wrong place, revocation seen by a second instance at once, lifetimes and rotation, cookie attributes,
 * and the proxy's header spoofing.
 */
import { createHmac } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { Database, describeWithDatabase, startApp, START_TIMEOUT_MS, TEST_JWT_SECRET, type NextServer } from "../support/security-app";
import { Browser, decodeJwt, parseSetCookie, PASSWORD, request, uniqueEmail, type HttpResponse } from "../support/security-http";
import { expectStatus, isSignedIn, requestReset, signIn, signUp, verificationToken } from "./flows";
import { REQUIREMENTS } from "./requirements";

let app: NextServer;
/** A second instance of the same deployment: same database, its own process and session cache. */
let second: NextServer;
let https: NextServer;
let db: Database;

beforeAll(async () => {
  app = await startApp();
  [second, https] = await Promise.all([
    // Same public origin: whichever instance sends a mail, its links point at the one site.
    startApp({ databaseUrl: app.databaseUrl, smtp: app.smtp, env: { APP_URL: app.url } }),
    startApp({ env: { APP_URL: "https://app.example.test" } }),
  ]);
  db = new Database(app.databaseUrl);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await db?.close();
  await second?.stop();
  await Promise.all([app?.stop(), https?.stop()]);
});

function sidOf(cookie: string | null): string {
  if (!cookie) throw new Error("no session cookie");
  return String(decodeJwt(cookie).payload.sid);
}

function subOf(cookie: string | null): string {
  return String(decodeJwt(cookie!).payload.sub);
}

/** Both instances answer the same: refused (401) or signed in (200). */
async function expectEverywhere(cookie: string | null, signedIn: boolean): Promise<void> {
  expect(await isSignedIn(app, cookie)).toBe(signedIn);
  expect(await isSignedIn(second, cookie)).toBe(signedIn);
}

/** Fills the second instance's session cache, so a revocation must reach it to be seen there. */
async function warm(cookie: string | null): Promise<void> {
  expect(await isSignedIn(second, cookie)).toBe(true);
  expect(await isSignedIn(second, cookie)).toBe(true);
}

const B64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const KEY = new TextEncoder().encode(TEST_JWT_SECRET);

describeWithDatabase(REQUIREMENTS.sessions.newSession, () => {
  it("each sign-in opens a new session with a new id, and the session cookie presented at sign-in is ended", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const first = browser.cookie;
    await signIn(browser, account);
    const secondCookie = browser.cookie;
    expect(sidOf(secondCookie)).not.toBe(sidOf(first));
    await expectEverywhere(first, false);
    await expectEverywhere(secondCookie, true);
  });

  it("session fixation: an attacker's planted session cookie is ended at the victim's sign-in, never adopted", async () => {
    const attacker = Browser.of(app);
    await signUp(attacker);
    const planted = attacker.cookie;
    const victimAccount = await signUp(Browser.of(app));
    const victim = Browser.of(app);
    victim.cookie = planted;
    await signIn(victim, victimAccount);
    expect(victim.cookie).not.toBe(planted);
    expect(sidOf(victim.cookie)).not.toBe(sidOf(planted));
    expect(subOf(victim.cookie)).toBe(victimAccount.userId);
    await expectEverywhere(planted, false);
    // Sign-up ends a presented session the same way.
    const attacker2 = Browser.of(app);
    await signUp(attacker2);
    const planted2 = attacker2.cookie;
    const newcomer = Browser.of(app);
    newcomer.cookie = planted2;
    await signUp(newcomer);
    expect(sidOf(newcomer.cookie)).not.toBe(sidOf(planted2));
    await expectEverywhere(planted2, false);
  });

  it("a client-chosen cookie value or session id is never adopted", async () => {
    const owner = await signUp(Browser.of(app));
    const chosenSid = "attacker-chosen-session-id-000000";
    const forged = await new SignJWT({ sid: chosenSid })
      .setProtectedHeader({ alg: "HS256", typ: "session+jwt" })
      .setSubject(owner.userId)
      .setIssuer("nextauth-hex")
      .setAudience("nextauth-hex:session")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("some-other-secret-the-attacker-knows-0123456789"));
    for (const value of ["attacker-chosen-value", forged, "x".repeat(40)]) {
      const browser = Browser.of(app);
      browser.cookie = value;
      const response = await signIn(browser, owner);
      expect(browser.cookie).not.toBe(value);
      expect(sidOf(browser.cookie)).not.toBe(chosenSid);
      expect(response.setCookies.join("\n")).not.toContain(value);
    }
    expect(await db.query(`SELECT 1 FROM sessions WHERE id = $1`, [chosenSid])).toHaveLength(0);
  });

  it("re-authentication (password change) continues on a new session id and ends the old one", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const before = browser.cookie;
    expectStatus(await browser.post("/api/auth/change-password", { currentPassword: account.password, newPassword: "a different long passphrase" }), 200);
    expect(sidOf(browser.cookie)).not.toBe(sidOf(before));
    await expectEverywhere(before, false);
    await expectEverywhere(browser.cookie, true);
  });

  it("session ids and e-mailed tokens carry at least 128 random bits and are not UUIDs", async () => {
    const sids = new Set<string>();
    const browser = Browser.of(app);
    const account = await signUp(browser);
    sids.add(sidOf(browser.cookie));
    for (let i = 0; i < 30; i++) {
      await signIn(browser, account);
      sids.add(sidOf(browser.cookie));
    }
    expect(sids.size).toBe(31);
    const uuid = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
    for (const sid of sids) {
      expect(sid).not.toMatch(uuid);
      expect(sid).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(sid, "base64url").byteLength).toBeGreaterThanOrEqual(16);
    }
    // No structure: across the ids every position takes many values (a counter or a timestamp would not).
    const all = [...sids];
    for (let position = 0; position < 20; position++) {
      expect(new Set(all.map((sid) => sid[position])).size).toBeGreaterThan(8);
    }
    const verify = await verificationToken(app, account.email);
    const reset = await requestReset(app, account.email);
    for (const token of [verify, reset]) {
      expect(token).not.toMatch(uuid);
      expect(Buffer.from(token, "base64url").byteLength).toBeGreaterThanOrEqual(32);
    }
  });
});

describeWithDatabase(REQUIREMENTS.sessions.jwtContents, () => {
  it("the cookie's JWT holds ids, timestamps and its type only: no e-mail or other personal data", async () => {
    const email = uniqueEmail("Pii.Person");
    const browser = Browser.of(app, "PII-Agent/1.0 (secret device name)");
    await signUp(browser, email);
    const { header, payload } = decodeJwt(browser.cookie!);
    expect(Object.keys(header).sort()).toEqual(["alg", "typ"]);
    expect(header.alg).toBe("HS256");
    expect(typeof header.typ).toBe("string");
    expect(Object.keys(payload).sort()).toEqual(["aud", "exp", "iat", "iss", "sid", "sub"]);
    const decoded = JSON.stringify({ header, payload }).toLowerCase();
    for (const personal of [email.toLowerCase(), email.split("@")[0]!.toLowerCase(), "pii-agent", "127.0.0.1"]) expect(decoded).not.toContain(personal);
  });

  it("the session token works only as the cookie: never from Authorization, a query string, another cookie name or a header", async () => {
    const browser = Browser.of(app);
    await signUp(browser);
    const token = browser.cookie!;
    const attempts: Array<[string, Record<string, string>]> = [
      ["/api/auth/session", { Authorization: `Bearer ${token}` }],
      ["/api/auth/session", { Authorization: token }],
      ["/api/auth/session", { Authorization: `Session ${token}` }],
      [`/api/auth/session?session=${token}`, {}],
      [`/api/auth/session?token=${token}`, {}],
      [`/api/auth/session?jwt=${token}`, {}],
      [`/api/auth/session?access_token=${token}`, {}],
      ["/api/auth/session", { Cookie: `token=${token}` }],
      ["/api/auth/session", { Cookie: `__Host-session=${token}` }],
      ["/api/auth/session", { Cookie: `Session=${token}` }],
      ["/api/auth/session", { Cookie: `session_=${token}` }],
      ["/api/auth/session", { "X-Session": token, "X-Auth-Token": token }],
    ];
    for (const [path, headers] of attempts) {
      const response = await request(app.url, path, { headers });
      expect(response.status).toBe(401);
    }
    for (const [path, headers] of [
      [`/dashboard?session=${token}`, {}],
      ["/dashboard", { Authorization: `Bearer ${token}` }],
    ] as Array<[string, Record<string, string>]>) {
      const page = await request(app.url, path, { headers: { Accept: "text/html", ...headers } });
      expect(page.status).toBe(307);
      expect(page.headers.location).toMatch(/^\/sign-in/);
    }
    // The same token as the cookie works: the refusals above are about where it was put.
    expect(await isSignedIn(app, token)).toBe(true);
  });
});

describeWithDatabase(REQUIREMENTS.sessions.jwtVerification, () => {
  interface Live {
    readonly cookie: string;
    readonly sid: string;
    readonly sub: string;
  }

  async function live(): Promise<Live> {
    const browser = Browser.of(app);
    await signUp(browser);
    return { cookie: browser.cookie!, sid: sidOf(browser.cookie), sub: subOf(browser.cookie) };
  }

  function claims(target: Live, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return { sid: target.sid, sub: target.sub, iss: "nextauth-hex", aud: "nextauth-hex:session", iat: now - 5, exp: now + 3600, ...overrides };
  }

  function hs(alg: "sha256" | "sha384" | "sha512", signingInput: string, key: Uint8Array | string = KEY): string {
    return createHmac(alg, key).update(signingInput).digest("base64url");
  }

  /** A compact JWS with any header and payload, signed with HMAC-SHA256 and the real secret unless told. */
  function craft(header: object, payload: object, sign: (input: string) => string = (input) => hs("sha256", input)): string {
    const input = `${B64(header)}.${B64(payload)}`;
    return `${input}.${sign(input)}`;
  }

  const TYP = "session+jwt";

  async function expectRefused(token: string, label: string): Promise<void> {
    const api = await request(app.url, "/api/auth/session", { headers: { Cookie: `session=${token}` } });
    if (api.status !== 401) throw new Error(`${label}: the API accepted it (${api.status})`);
    const page = await request(app.url, "/dashboard/settings", { headers: { Cookie: `session=${token}`, Accept: "text/html" } });
    if (page.status !== 307) throw new Error(`${label}: the dashboard answered ${page.status}`);
  }

  it("a token crafted with the real key and the right claims works (so the refusals below are real)", async () => {
    const target = await live();
    expect(await isSignedIn(app, craft({ alg: "HS256", typ: TYP }, claims(target)))).toBe(true);
  });

  it("algorithm and key: alg none, other HMAC sizes, RS256/ES256 confusion and a wrong key are refused", async () => {
    const target = await live();
    const payload = claims(target);
    const cases: Array<[string, string]> = [
      ["alg none, no signature", craft({ alg: "none", typ: TYP }, payload, () => "")],
      ["alg None, no signature", craft({ alg: "None", typ: TYP }, payload, () => "")],
      ["alg none with a valid HS256 signature", craft({ alg: "none", typ: TYP }, payload)],
      ["HS384 with the real key", craft({ alg: "HS384", typ: TYP }, payload, (i) => hs("sha384", i))],
      ["HS512 with the real key", craft({ alg: "HS512", typ: TYP }, payload, (i) => hs("sha512", i))],
      ["RS256 header, HMAC signature (key confusion)", craft({ alg: "RS256", typ: TYP }, payload)],
      ["ES256 header, HMAC signature", craft({ alg: "ES256", typ: TYP }, payload)],
      ["HS256 with another key", craft({ alg: "HS256", typ: TYP }, payload, (i) => hs("sha256", i, "another-secret-of-at-least-32-bytes-long!"))],
      ["HS256 with an empty key", craft({ alg: "HS256", typ: TYP }, payload, (i) => hs("sha256", i, ""))],
      ["signature stripped", craft({ alg: "HS256", typ: TYP }, payload, () => "")],
      ["signature of another token", `${B64({ alg: "HS256", typ: TYP })}.${B64(payload)}.${target.cookie.split(".")[2]}`],
    ];
    for (const [label, token] of cases) await expectRefused(token, label);
  });

  it("kid, jku, jwk, x5u, x5c and crit never choose a key, even with a valid signature", async () => {
    const target = await live();
    const payload = claims(target);
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const attackerJwk = await exportJWK(publicKey);
    const embedded = await new SignJWT(payload).setProtectedHeader({ alg: "RS256", typ: TYP, jwk: attackerJwk }).sign(privateKey);
    const cases: Array<[string, string]> = [
      ["kid with the real key", craft({ alg: "HS256", typ: TYP, kid: "1" }, payload)],
      ["kid path traversal", craft({ alg: "HS256", typ: TYP, kid: "../../../../dev/null" }, payload, (i) => hs("sha256", i, ""))],
      ["jku with the real key", craft({ alg: "HS256", typ: TYP, jku: "https://evil.example/jwks.json" }, payload)],
      ["x5u with the real key", craft({ alg: "HS256", typ: TYP, x5u: "https://evil.example/cert.pem" }, payload)],
      ["x5c with the real key", craft({ alg: "HS256", typ: TYP, x5c: ["MIIB"] }, payload)],
      ["embedded jwk with the real key", craft({ alg: "HS256", typ: TYP, jwk: { kty: "oct", k: Buffer.from(TEST_JWT_SECRET).toString("base64url") } }, payload)],
      ["embedded jwk of the attacker's own RSA key", embedded],
      ["embedded symmetric jwk of the attacker's key", craft({ alg: "HS256", typ: TYP, jwk: { kty: "oct", k: Buffer.from("attacker").toString("base64url") } }, payload, (i) => hs("sha256", i, "attacker"))],
      ["crit with the real key", craft({ alg: "HS256", typ: TYP, crit: ["exp"] }, payload)],
    ];
    for (const [label, token] of cases) await expectRefused(token, label);
  });

  it("typ, iss, aud, exp and the required claims are checked", async () => {
    const target = await live();
    const now = Math.floor(Date.now() / 1000);
    const without = (name: string) => Object.fromEntries(Object.entries(claims(target)).filter(([key]) => key !== name));
    const cases: Array<[string, string]> = [
      ["no typ", craft({ alg: "HS256" }, claims(target))],
      ["typ JWT", craft({ alg: "HS256", typ: "JWT" }, claims(target))],
      ["typ of another token kind", craft({ alg: "HS256", typ: "reset+jwt" }, claims(target))],
      ["another issuer", craft({ alg: "HS256", typ: TYP }, claims(target, { iss: "evil" }))],
      ["another audience", craft({ alg: "HS256", typ: TYP }, claims(target, { aud: "nextauth-hex:api" }))],
      ["expired", craft({ alg: "HS256", typ: TYP }, claims(target, { iat: now - 7200, exp: now - 60 }))],
      ["exp as a string", craft({ alg: "HS256", typ: TYP }, claims(target, { exp: String(now + 3600) }))],
      ["no exp", craft({ alg: "HS256", typ: TYP }, without("exp"))],
      ["no iat", craft({ alg: "HS256", typ: TYP }, without("iat"))],
      ["no sid", craft({ alg: "HS256", typ: TYP }, without("sid"))],
      ["no sub", craft({ alg: "HS256", typ: TYP }, without("sub"))],
      ["sid as an object", craft({ alg: "HS256", typ: TYP }, claims(target, { sid: { $ne: null } }))],
      ["not before in the future", craft({ alg: "HS256", typ: TYP }, claims(target, { nbf: now + 3600 }))],
      ["payload not JSON", `${B64({ alg: "HS256", typ: TYP })}.${Buffer.from("not json").toString("base64url")}.x`],
      ["five parts (JWE shape)", `${target.cookie}.a.b`],
      ["whitespace inside", target.cookie.replace(".", " .")],
    ];
    for (const [label, token] of cases) await expectRefused(token, label);
  });

  it("a well-signed token still needs its session row: unknown, revoked, expired, idle, or another user's (sub)", async () => {
    const target = await live();
    const other = await live();
    const token = (overrides: Record<string, unknown>) => craft({ alg: "HS256", typ: TYP }, claims(target, overrides));
    await expectRefused(token({ sid: "no-such-session-00000000" }), "unknown sid");
    await expectRefused(token({ sub: other.sub }), "sid of one user, sub of another");
    await expectRefused(craft({ alg: "HS256", typ: TYP }, claims(other, { sub: target.sub })), "sub swapped the other way");

    const revoked = await live();
    const browser = Browser.of(app);
    browser.cookie = revoked.cookie;
    expectStatus(await browser.post("/api/auth/sign-out"), 204);
    await expectRefused(craft({ alg: "HS256", typ: TYP }, claims(revoked)), "revoked session");

    const expired = await live();
    await db.timeTravel(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.sid]);
    await expectRefused(craft({ alg: "HS256", typ: TYP }, claims(expired)), "session past its absolute expiry, token still valid");

    const idle = await live();
    await db.timeTravel(`UPDATE sessions SET last_seen_at = now() - interval '8 days' WHERE id = $1`, [idle.sid]);
    await expectRefused(craft({ alg: "HS256", typ: TYP }, claims(idle)), "idle session");

    const deleted = await live();
    await db.timeTravel(`DELETE FROM sessions WHERE id = $1`, [deleted.sid]);
    await expectRefused(deleted.cookie, "deleted session row");
  });
});

describeWithDatabase(REQUIREMENTS.sessions.revocation, () => {
  async function devices(count: number): Promise<{ account: { email: string; password: string; userId: string }; tabs: Browser[] }> {
    const first = Browser.of(app);
    const account = await signUp(first);
    const tabs = [first];
    for (let i = 1; i < count; i++) {
      const tab = Browser.of(app);
      await signIn(tab, account);
      tabs.push(tab);
    }
    for (const tab of tabs) await warm(tab.cookie);
    return { account, tabs };
  }

  it("sign-out ends that session on every instance at once", async () => {
    const { tabs } = await devices(2);
    const [a, b] = tabs as [Browser, Browser];
    const cookie = a.cookie;
    expectStatus(await a.post("/api/auth/sign-out"), 204);
    await expectEverywhere(cookie, false);
    await expectEverywhere(b.cookie, true);
  });

  it("sign-out-all ends every session of the user, this one included, on every instance", async () => {
    const { tabs } = await devices(3);
    const cookies = tabs.map((t) => t.cookie);
    expectStatus(await tabs[0]!.post("/api/auth/sign-out-all"), 204);
    for (const cookie of cookies) await expectEverywhere(cookie, false);
  });

  it("a password reset ends every session of the user", async () => {
    const { account, tabs } = await devices(2);
    const token = await requestReset(app, account.email);
    const anonymous = Browser.of(second);
    expectStatus(await anonymous.post("/api/auth/password-reset/confirm", { token, password: "a brand new passphrase 42" }), 200);
    for (const tab of tabs) await expectEverywhere(tab.cookie, false);
  });

  it("a password change ends every other session and keeps this device on a new one", async () => {
    const { account, tabs } = await devices(3);
    const [me, ...others] = tabs as [Browser, ...Browser[]];
    const old = me.cookie;
    expectStatus(await me.post("/api/auth/change-password", { currentPassword: account.password, newPassword: "a brand new passphrase 43" }), 200);
    for (const other of others) await expectEverywhere(other.cookie, false);
    await expectEverywhere(old, false);
    await expectEverywhere(me.cookie, true);
  });

  it("account deletion ends every session", async () => {
    const { account, tabs } = await devices(2);
    const cookies = tabs.map((t) => t.cookie);
    expectStatus(await tabs[0]!.delete("/api/account", { password: account.password }), 204);
    for (const cookie of cookies) await expectEverywhere(cookie, false);
    const again = await Browser.of(second).post("/api/auth/sign-in", { email: account.email, password: account.password });
    expect(again.status).toBe(401);
  });

  it("deleting one session ends that one only; another user's session id is 404 and stays alive", async () => {
    const { tabs } = await devices(2);
    const [me, other] = tabs as [Browser, Browser];
    expectStatus(await me.delete(`/api/auth/sessions/${sidOf(other.cookie)}`), 204);
    await expectEverywhere(other.cookie, false);
    await expectEverywhere(me.cookie, true);
    const stranger = Browser.of(app);
    await signUp(stranger);
    await warm(stranger.cookie);
    const response = await me.delete(`/api/auth/sessions/${sidOf(stranger.cookie)}`);
    expect(response.status).toBe(404);
    await expectEverywhere(stranger.cookie, true);
  });

  it("a revoked cookie no longer opens a page on either instance", async () => {
    const { tabs } = await devices(1);
    const cookie = tabs[0]!.cookie;
    for (const server of [app, second]) {
      const open = await request(server.url, "/dashboard", { headers: { Cookie: `session=${cookie}`, Accept: "text/html" } });
      expect(open.status).toBe(200);
    }
    expectStatus(await tabs[0]!.post("/api/auth/sign-out"), 204);
    for (const server of [app, second]) {
      const page = await request(server.url, "/dashboard", { headers: { Cookie: `session=${cookie}`, Accept: "text/html" } });
      expect(page.status).toBe(307);
    }
  });
});

describeWithDatabase(REQUIREMENTS.sessions.lifetimes, () => {
  async function fresh(): Promise<Browser> {
    const browser = Browser.of(app);
    await signUp(browser);
    return browser;
  }

  it("defaults: 30 days absolute (cookie and row), 7 days idle, rotation after 24 h", async () => {
    const browser = Browser.of(app);
    const response = await browser.post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD });
    const cookie = parseSetCookie(response.setCookies.find((c) => c.startsWith("session="))!);
    expect(Number(cookie.attributes.get("max-age"))).toBeGreaterThan(30 * 86400 - 60);
    expect(Number(cookie.attributes.get("max-age"))).toBeLessThanOrEqual(30 * 86400);
    const row = await db.one<{ lifetime: number }>(
      `SELECT extract(epoch FROM expires_at - authenticated_at)::int AS lifetime FROM sessions WHERE id = $1`,
      [sidOf(browser.cookie)],
    );
    expect(row.lifetime).toBe(30 * 86400);
    const { payload } = decodeJwt(browser.cookie!);
    expect(Number(payload.exp) - Number(payload.iat)).toBeLessThanOrEqual(30 * 86400);
    // 7 days idle: just inside is still fine, just outside is not.
    const inside = await fresh();
    await db.timeTravel(`UPDATE sessions SET last_seen_at = now() - interval '7 days' + interval '2 minutes' WHERE id = $1`, [sidOf(inside.cookie)]);
    await expectEverywhere(inside.cookie, true);
    const outside = await fresh();
    await db.timeTravel(`UPDATE sessions SET last_seen_at = now() - interval '7 days' - interval '1 minute' WHERE id = $1`, [sidOf(outside.cookie)]);
    await expectEverywhere(outside.cookie, false);
  });

  it("activity never extends the absolute lifetime: use and rotation keep expires_at", async () => {
    const browser = await fresh();
    const sid = sidOf(browser.cookie);
    const before = await db.one<{ expires_at: Date }>(`SELECT expires_at FROM sessions WHERE id = $1`, [sid]);
    await db.timeTravel(`UPDATE sessions SET created_at = created_at - interval '25 hours', last_seen_at = last_seen_at - interval '2 hours' WHERE id = $1`, [sid]);
    for (let i = 0; i < 3; i++) expectStatus(await browser.get("/api/auth/session"), 200);
    const successor = sidOf(browser.cookie);
    expect(successor).not.toBe(sid);
    const after = await db.one<{ expires_at: Date }>(`SELECT expires_at FROM sessions WHERE id = $1`, [successor]);
    expect(after.expires_at.getTime()).toBe(before.expires_at.getTime());
    // Past the absolute expiry the session is over, however active.
    await db.timeTravel(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [successor]);
    await expectEverywhere(browser.cookie, false);
  });

  it("rotation after 24 h: a new id and cookie (no-store); the old cookie leads to the same successor during the grace, then stops", async () => {
    const browser = await fresh();
    const old = browser.cookie!;
    const oldSid = sidOf(old);
    await db.timeTravel(`UPDATE sessions SET created_at = created_at - interval '24 hours 1 minute' WHERE id = $1`, [oldSid]);
    const rotated = await browser.get("/api/auth/session");
    expectStatus(rotated, 200);
    expect(String(rotated.headers["cache-control"])).toContain("no-store");
    const successor = sidOf(browser.cookie);
    expect(successor).not.toBe(oldSid);
    expect(rotated.json.session.id).toBe(successor);
    // A request that was in flight with the old cookie: accepted, and handed the same successor.
    const late = await request(second.url, "/api/auth/session", { headers: { Cookie: `session=${old}` } });
    expectStatus(late, 200);
    const handed = late.setCookies.map(parseSetCookie).find((c) => c.name === "session");
    expect(handed && sidOf(handed.value)).toBe(successor);
    // After the grace the old cookie is refused; the successor lives on.
    await db.timeTravel(`UPDATE sessions SET rotated_at = now() - interval '5 minutes' WHERE id = $1`, [oldSid]);
    await expectEverywhere(old, false);
    await expectEverywhere(browser.cookie, true);
  });

  it("concurrent requests at rotation neither sign the user out nor fork the session", async () => {
    const browser = await fresh();
    const old = browser.cookie!;
    const oldSid = sidOf(old);
    const userId = subOf(old);
    await db.timeTravel(`UPDATE sessions SET created_at = created_at - interval '25 hours' WHERE id = $1`, [oldSid]);
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => request(i % 2 === 0 ? app.url : second.url, i % 3 === 0 ? "/dashboard" : "/api/auth/session", { headers: { Cookie: `session=${old}`, Accept: "text/html" }, agent: false })),
    );
    for (const response of responses) expect(response.status).toBe(200);
    const successors = new Set(
      responses.flatMap((r) => r.setCookies.map(parseSetCookie).filter((c) => c.name === "session" && c.value !== "").map((c) => sidOf(c.value))),
    );
    expect(successors.size).toBe(1);
    const rows = await db.query<{ id: string }>(`SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND rotated_at IS NULL`, [userId]);
    expect(rows.map((r) => r.id)).toEqual([...successors]);
  });

  it("a page request at rotation gets the new cookie with no-store", async () => {
    const browser = await fresh();
    const oldSid = sidOf(browser.cookie);
    await db.timeTravel(`UPDATE sessions SET created_at = created_at - interval '25 hours' WHERE id = $1`, [oldSid]);
    const page = await request(app.url, "/dashboard", { headers: { Cookie: `session=${browser.cookie}`, Accept: "text/html" } });
    expect(page.status).toBe(200);
    const cookie = page.setCookies.map(parseSetCookie).find((c) => c.name === "session");
    expect(cookie && sidOf(cookie.value)).not.toBe(oldSid);
    expect(String(page.headers["cache-control"])).toContain("no-store");
  });

  it("sign-out and sign-out-all also end a predecessor still inside its grace (and a successor from an old cookie)", async () => {
    for (const route of ["/api/auth/sign-out", "/api/auth/sign-out-all"]) {
      const browser = await fresh();
      const old = browser.cookie!;
      await db.timeTravel(`UPDATE sessions SET created_at = created_at - interval '25 hours' WHERE id = $1`, [sidOf(old)]);
      expectStatus(await browser.get("/api/auth/session"), 200);
      const successor = browser.cookie!;
      expect(sidOf(successor)).not.toBe(sidOf(old));
      expectStatus(await browser.post(route), 204);
      await expectEverywhere(old, false);
      await expectEverywhere(successor, false);
    }
    // Signing out with the old cookie during the grace ends the successor as well.
    const browser = await fresh();
    const old = browser.cookie!;
    await db.timeTravel(`UPDATE sessions SET created_at = created_at - interval '25 hours' WHERE id = $1`, [sidOf(old)]);
    expectStatus(await browser.get("/api/auth/session"), 200);
    const successor = browser.cookie!;
    const stale = Browser.of(app);
    stale.cookie = old;
    expectStatus(await stale.post("/api/auth/sign-out"), 204);
    await expectEverywhere(successor, false);
  });
});

describeWithDatabase(REQUIREMENTS.sessions.cookie, () => {
  function sessionSetCookies(response: HttpResponse, name: string) {
    return response.setCookies.map(parseSetCookie).filter((c) => c.name === name);
  }

  function expectAttributes(cookie: ReturnType<typeof parseSetCookie>): void {
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(cookie.attributes.has("secure")).toBe(true);
    expect(cookie.attributes.get("samesite")?.toLowerCase()).toBe("lax");
    expect(cookie.attributes.get("path")).toBe("/");
    expect(cookie.attributes.has("domain")).toBe(false);
  }

  it("every response that sets or clears the session cookie: HttpOnly, Secure, SameSite=Lax, Path=/, no Domain, no-store", async () => {
    for (const server of [app, https]) {
      const name = server === https ? "__Host-session" : "session";
      const browser = Browser.of(server);
      const email = uniqueEmail();
      const responses: HttpResponse[] = [];
      responses.push(await browser.post("/api/auth/sign-up", { email, password: PASSWORD }));
      responses.push(await browser.post("/api/auth/sign-in", { email, password: PASSWORD }));
      responses.push(await browser.post("/api/auth/change-password", { currentPassword: PASSWORD, newPassword: "yet another passphrase 9" }));
      responses.push(await browser.post("/api/auth/sign-out"));
      const deadCookie = responses[1]!.setCookies.map(parseSetCookie).find((c) => c.name === name)!.value;
      responses.push(await browser.get("/api/auth/session", { cookie: deadCookie }));
      // Pages clear a dead cookie too (the proxy), and a protected one redirects while doing so.
      responses.push(await browser.get("/sign-in", { cookie: deadCookie, headers: { Accept: "text/html" } }));
      responses.push(await browser.get("/dashboard", { cookie: deadCookie, headers: { Accept: "text/html" } }));
      for (const response of responses) {
        const cookies = sessionSetCookies(response, name);
        expect(cookies.length).toBeGreaterThan(0);
        for (const cookie of cookies) expectAttributes(cookie);
        expect(String(response.headers["cache-control"])).toContain("no-store");
      }
      const cleared = sessionSetCookies(responses[3]!, name)[0]!;
      expect(cleared.value).toBe("");
      expect(cleared.attributes.get("max-age")).toBe("0");
    }
  });

  it("the name is __Host-session when APP_URL is https, session on http://127.0.0.1", async () => {
    const secure = Browser.of(https);
    const response = await secure.post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD });
    expect(response.setCookies.map(parseSetCookie).map((c) => c.name)).toContain("__Host-session");
    // On https the plain name opens nothing: a sibling subdomain or an http page cannot plant it.
    expect((await request(https.url, "/api/auth/session", { headers: { Cookie: `session=${secure.cookie}` } })).status).toBe(401);
    expect((await request(https.url, "/api/auth/session", { headers: { Cookie: `__Host-session=${secure.cookie}` } })).status).toBe(200);
  });

  it("the token never appears in a body, a URL or a Location", async () => {
    const browser = Browser.of(app);
    const email = uniqueEmail();
    const seen: HttpResponse[] = [];
    seen.push(await browser.post("/api/auth/sign-up", { email, password: PASSWORD }));
    seen.push(await browser.post("/api/auth/sign-in", { email, password: PASSWORD }));
    const token = browser.cookie!;
    const signature = token.split(".")[2]!;
    seen.push(await browser.get("/api/auth/session"));
    seen.push(await browser.get("/api/auth/sessions"));
    seen.push(await browser.get("/sign-in?next=/dashboard", { headers: { Accept: "text/html" } }));
    for (const page of ["/dashboard", "/dashboard/settings", "/dashboard/api-keys"]) seen.push(await browser.get(page, { headers: { Accept: "text/html" } }));
    for (const response of seen) {
      expect(response.text).not.toContain(signature);
      expect(String(response.headers.location ?? "")).not.toContain(signature);
    }
  });
});

describeWithDatabase(REQUIREMENTS.sessions.proxyOnlyEarly, () => {
  const spoofs: Array<Record<string, string>> = [
    { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
    { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
    { "x-middleware-subrequest": "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware" },
    { "x-middleware-subrequest": "web/proxy:web/proxy:web/proxy:web/proxy:web/proxy" },
    { "x-middleware-subrequest": "1" },
    { "x-nextjs-data": "1" },
    { "x-middleware-prefetch": "1" },
    { "x-invoke-path": "/dashboard", "x-invoke-status": "200" },
    { "x-socket-remote-address": "10.0.0.1" },
  ];

  it("spoofed internal headers open no protected page and no API route without a session", async () => {
    for (const headers of spoofs) {
      for (const path of ["/dashboard", "/dashboard/settings", "/dashboard/api-keys"]) {
        const page = await request(app.url, path, { headers: { ...headers, Accept: "text/html" } });
        expect(page.status).toBe(307);
        expect(page.headers.location).toMatch(/^\/sign-in/);
        expect(page.text).not.toContain("Security settings");
      }
      for (const path of ["/api/auth/session", "/api/auth/sessions", "/api/api-keys"]) {
        const response = await request(app.url, path, { headers });
        // Next.js answers `x-middleware-prefetch` on a route outside the proxy's matcher with an empty
        // `{}` without running the handler: nothing is opened, nothing is disclosed.
        if (response.status !== 401) expect([response.status, response.text, headers]).toEqual([200, "{}", { "x-middleware-prefetch": "1" }]);
      }
    }
  });

  it("with a revoked cookie too: spoofed headers do not revive it", async () => {
    const browser = Browser.of(app);
    await signUp(browser);
    const cookie = browser.cookie;
    expectStatus(await browser.post("/api/auth/sign-out"), 204);
    for (const headers of spoofs.slice(0, 4)) {
      const page = await request(app.url, "/dashboard/settings", { headers: { ...headers, Cookie: `session=${cookie}`, Accept: "text/html" } });
      expect(page.status).toBe(307);
      expect((await request(app.url, "/api/auth/sessions", { headers: { ...headers, Cookie: `session=${cookie}` } })).status).toBe(401);
    }
  });

  it("a server action checks the session itself: the proxy lets an action call through, a dead cookie still changes nothing", async () => {
    const live = Browser.of(app);
    const account = await signUp(live);
    const other = Browser.of(app);
    await signIn(other, account);
    const page = await other.get("/dashboard/settings", { headers: { Accept: "text/html" } });
    const actionId = /\$ACTION_ID_([0-9a-f]+)/.exec(page.text)?.[1];
    expect(actionId).toBeDefined();
    const deadCookie = other.cookie;
    expectStatus(await other.post("/api/auth/sign-out"), 204);
    const callAction = (cookie: string | null, extra: Record<string, string> = {}) => {
      const boundary = "----act" + Math.random().toString(16).slice(2);
      return request(app.url, "/dashboard/settings", {
        method: "POST",
        raw: `--${boundary}\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$K1"]\r\n--${boundary}--\r\n`,
        headers: {
          "Content-Type": `multipart/form-data; boundary=${boundary}`,
          "Next-Action": actionId!,
          Origin: app.url,
          Accept: "text/x-component",
          ...(cookie ? { Cookie: `session=${cookie}` } : {}),
          ...extra,
        },
      });
    };
    // "Sign out everywhere" with a dead cookie, with and without spoofed headers: the live session survives.
    for (const extra of [{}, spoofs[0]!, spoofs[1]!]) {
      const response = await callAction(deadCookie, extra);
      expect(response.status).toBeLessThan(500);
      await expectEverywhere(live.cookie, true);
    }
    const anonymous = await callAction(null, spoofs[1]!);
    expect(anonymous.status).toBeLessThan(500);
    await expectEverywhere(live.cookie, true);
    // The same call with the live cookie does sign out everywhere: the refusals above were the action's own check.
    await callAction(live.cookie);
    await expectEverywhere(live.cookie, false);
  });
});
