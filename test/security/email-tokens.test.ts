/**
 * E-mailed tokens from outside: their size and storage (read back from the database), single use under
 * concurrency, binding to user, purpose and address, lifetimes and superseding, links built from
 * APP_URL whatever the request says, GET never spending a token, and the "password changed" notice.
 */
import { createHash } from "node:crypto";
import { Database, describeWithDatabase, startApp, START_TIMEOUT_MS, type NextServer } from "../support/security-app";
import { Browser, isErrorBody, median, request, tokensIn, uniqueEmail, type HttpResponse } from "../support/security-http";
import {
  appUrl,
  expectStatus,
  hiddenFields,
  mailsTo,
  postForm,
  requestReset,
  resetToken,
  signIn,
  signUp,
  verificationToken,
  verifiedAccount,
} from "./flows";
import { REQUIREMENTS } from "./requirements";

let app: NextServer;
/** Public origin on https (requests still reach 127.0.0.1) and non-default lifetimes. */
let configured: NextServer;
let db: Database;

beforeAll(async () => {
  [app, configured] = await Promise.all([
    // A deeper hashing queue, so most of the racing confirmations below reach the token, not the queue's limit.
    startApp({ env: { PASSWORD_HASH_QUEUE: "16" } }),
    startApp({ env: { APP_URL: "https://accounts.example.test", VERIFY_TOKEN_TTL: "7200", RESET_TOKEN_TTL: "900" } }),
  ]);
  db = new Database(app.databaseUrl);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await db?.close();
  await Promise.all([app?.stop(), configured?.stop()]);
});

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

function invalidToken(response: HttpResponse): void {
  if (response.status !== 400 || !isErrorBody(response.json) || response.json.error.code !== "INVALID_TOKEN") {
    throw new Error(`expected 400 INVALID_TOKEN, got ${response.status}: ${response.text.slice(0, 200)}`);
  }
}

async function verified(email: string): Promise<boolean> {
  const row = await db.one<{ email_verified_at: Date | null }>(`SELECT email_verified_at FROM users WHERE email = $1`, [email]);
  return row.email_verified_at !== null;
}

function confirmReset(token: string, password: string, server: NextServer = app): Promise<HttpResponse> {
  return Browser.of(server).post("/api/auth/password-reset/confirm", { token, password });
}

async function signInStatus(email: string, password: string): Promise<number> {
  return (await Browser.of(app).post("/api/auth/sign-in", { email, password })).status;
}

describeWithDatabase(REQUIREMENTS.tokens.secrecy, () => {
  it("256 random bits each, all different, not UUIDs; only their SHA-256 is stored", async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      const account = await signUp(Browser.of(app));
      tokens.push(await verificationToken(app, account.email), await requestReset(app, account.email));
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, "base64url").byteLength).toBe(32);
      const rows = await db.query<{ token_hash: string }>(`SELECT token_hash FROM verification_tokens WHERE token_hash = $1`, [sha256(token)]);
      expect(rows).toHaveLength(1);
      expect(await db.query(`SELECT 1 FROM verification_tokens t WHERE row_to_json(t)::text LIKE $1`, [`%${token}%`])).toHaveLength(0);
      expect(await db.query(`SELECT 1 FROM outbox o WHERE row_to_json(o)::text LIKE $1`, [`%${token}%`])).toHaveLength(0);
    }
  });

  it("single use: a verification or reset link works once", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const verify = await verificationToken(app, account.email);
    expectStatus(await browser.post("/api/auth/verify-email", { token: verify }), 200);
    invalidToken(await browser.post("/api/auth/verify-email", { token: verify }));
    const reset = await requestReset(app, account.email);
    expectStatus(await confirmReset(reset, "first new passphrase 1"), 200);
    invalidToken(await confirmReset(reset, "second new passphrase 2"));
    expect(await signInStatus(account.email, "first new passphrase 1")).toBe(200);
  });

  it("single use under concurrency: of ten simultaneous confirmations exactly one wins, and its password is the one set", async () => {
    const account = await signUp(Browser.of(app));
    const token = await requestReset(app, account.email);
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(app.url, "/api/auth/password-reset/confirm", { method: "POST", body: { token, password: `racing passphrase ${i}` }, headers: { Origin: app.url }, agent: false }),
      ),
    );
    const winners = attempts.map((r, i) => [r.status, i] as const).filter(([status]) => status === 200);
    expect(winners).toHaveLength(1);
    for (const response of attempts) {
      if (response.status === 200) continue;
      // A loser is refused as a spent link, or (hashing at capacity on two cores) asked to retry later.
      if (response.status === 503) expect(isErrorBody(response.json) && response.json.error.code).toBe("OVERLOADED");
      else invalidToken(response);
    }
    expect(await signInStatus(account.email, `racing passphrase ${winners[0]![1]}`)).toBe(200);

    const other = await signUp(Browser.of(app));
    const verify = await verificationToken(app, other.email);
    const confirmations = await Promise.all(
      Array.from({ length: 10 }, () => request(app.url, "/api/auth/verify-email", { method: "POST", body: { token: verify }, headers: { Origin: app.url }, agent: false })),
    );
    expect(confirmations.filter((r) => r.status === 200)).toHaveLength(1);
    const events = await db.query(`SELECT 1 FROM auth_events WHERE user_id = $1 AND type = 'email.verified'`, [other.userId]);
    expect(events).toHaveLength(1);
  });

  it("bound to its user: another signed-in user presenting the link verifies the link's owner, never themselves", async () => {
    const owner = await signUp(Browser.of(app));
    const intruder = Browser.of(app);
    const intruderAccount = await signUp(intruder);
    const token = await verificationToken(app, owner.email);
    expectStatus(await intruder.post("/api/auth/verify-email", { token }), 200);
    expect(await verified(owner.email)).toBe(true);
    expect(await verified(intruderAccount.email)).toBe(false);
  });

  it("bound to its purpose: a verification token does not reset a password and a reset token does not verify", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const verify = await verificationToken(app, account.email);
    const reset = await requestReset(app, account.email);
    invalidToken(await confirmReset(verify, "stolen passphrase 123"));
    invalidToken(await browser.post("/api/auth/verify-email", { token: reset }));
    // Misuse spends nothing: each still works for its own purpose.
    expectStatus(await browser.post("/api/auth/verify-email", { token: verify }), 200);
    expectStatus(await confirmReset(reset, "rightful passphrase 9"), 200);
  });

  it("a verification token is bound to the address it was sent to: once the account's address differs, it is void", async () => {
    const account = await signUp(Browser.of(app));
    const token = await verificationToken(app, account.email);
    const moved = uniqueEmail("moved");
    // As an address change would do; the product has no such route yet, so the row is changed directly.
    await db.timeTravel(`UPDATE users SET email = $2 WHERE email = $1`, [account.email, moved]);
    invalidToken(await Browser.of(app).post("/api/auth/verify-email", { token }));
    expect(await verified(moved)).toBe(false);
  });

  it("compared without a timing hint: near-miss tokens take as long as random ones (coarse ratio of medians)", async () => {
    const account = await signUp(Browser.of(app));
    const token = await verificationToken(app, account.email);
    const nearMiss = (i: number) => token.slice(0, 42) + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef".charAt(i % 32);
    const random = (i: number) => createHash("sha256").update(String(i)).digest("base64url").slice(0, 43);
    const near: number[] = [];
    const far: number[] = [];
    const browser = Browser.of(app);
    for (let i = 0; i < 25; i++) {
      if (nearMiss(i) === token) continue;
      const a = await browser.post("/api/auth/verify-email", { token: nearMiss(i) });
      const b = await browser.post("/api/auth/verify-email", { token: random(i) });
      invalidToken(a);
      invalidToken(b);
      near.push(a.ms);
      far.push(b.ms);
    }
    const ratio = median(near) / median(far);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    expect(await verified(account.email)).toBe(false);
  });
});

describeWithDatabase(REQUIREMENTS.tokens.expiry, () => {
  async function lifetime(token: string, server: NextServer): Promise<number> {
    const database = new Database(server.databaseUrl);
    try {
      const row = await database.one<{ seconds: number }>(
        `SELECT extract(epoch FROM expires_at - created_at)::int AS seconds FROM verification_tokens WHERE token_hash = $1`,
        [sha256(token)],
      );
      return row.seconds;
    } finally {
      await database.close();
    }
  }

  it("by default a verification link lives 24 h and a reset link 30 min", async () => {
    const account = await signUp(Browser.of(app));
    expect(await lifetime(await verificationToken(app, account.email), app)).toBe(24 * 3600);
    expect(await lifetime(await requestReset(app, account.email), app)).toBe(30 * 60);
  });

  it("the lifetimes are configurable (VERIFY_TOKEN_TTL, RESET_TOKEN_TTL)", async () => {
    const account = await signUp(Browser.of(configured));
    expect(await lifetime(await verificationToken(configured, account.email), configured)).toBe(7200);
    expect(await lifetime(await requestReset(configured, account.email), configured)).toBe(900);
  });

  it("an expired link is refused, verification and reset alike", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const verify = await verificationToken(app, account.email);
    const reset = await requestReset(app, account.email);
    await db.timeTravel(`UPDATE verification_tokens SET expires_at = now() - interval '1 second' WHERE token_hash IN ($1, $2)`, [sha256(verify), sha256(reset)]);
    invalidToken(await browser.post("/api/auth/verify-email", { token: verify }));
    invalidToken(await confirmReset(reset, "too late passphrase 1"));
    expect(await verified(account.email)).toBe(false);
    expect(await signInStatus(account.email, account.password)).toBe(200);
  });

  it("a new link supersedes the older ones of the same purpose", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const firstVerify = await verificationToken(app, account.email);
    expectStatus(await browser.post("/api/auth/verify-email/resend"), 202);
    const secondVerify = await verificationToken(app, account.email, 2);
    invalidToken(await browser.post("/api/auth/verify-email", { token: firstVerify }));
    expectStatus(await browser.post("/api/auth/verify-email", { token: secondVerify }), 200);

    const firstReset = await requestReset(app, account.email);
    const secondReset = await requestReset(app, account.email, 2);
    invalidToken(await confirmReset(firstReset, "older link passphrase"));
    expectStatus(await confirmReset(secondReset, "newer link passphrase"), 200);
  });

  it("a password change voids outstanding reset links", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const reset = await requestReset(app, account.email);
    expectStatus(await browser.post("/api/auth/change-password", { currentPassword: account.password, newPassword: "changed meanwhile 2026" }), 200);
    invalidToken(await confirmReset(reset, "attacker passphrase 1"));
    expect(await signInStatus(account.email, "changed meanwhile 2026")).toBe(200);
  });

  it("account deletion voids outstanding reset links", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const reset = await requestReset(app, account.email);
    expectStatus(await browser.delete("/api/account", { password: account.password }), 204);
    invalidToken(await confirmReset(reset, "resurrection passphrase"));
    expect(await signInStatus(account.email, "resurrection passphrase")).toBe(401);
  });
});

describeWithDatabase(REQUIREMENTS.tokens.links, () => {
  const hostile = {
    Host: "evil.example",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "http",
    "X-Forwarded-Port": "8080",
    Forwarded: "host=evil.example;proto=http",
    "X-Original-Host": "evil.example",
    "X-Host": "evil.example",
  };

  function expectOnlyAppLinks(server: NextServer, email: string): void {
    const mails = mailsTo(server, email);
    expect(mails.length).toBeGreaterThan(0);
    for (const mail of mails) {
      const text = `${mail.text}\n${mail.html}`;
      expect(text).not.toContain("evil.example");
      expect(text).not.toContain(":8080");
      const links = [...text.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(link.startsWith(`${appUrl(server)}/`)).toBe(true);
    }
  }

  it("sign-up, resend and reset mails link to APP_URL whatever Host and X-Forwarded-* say", async () => {
    const browser = Browser.of(configured);
    browser.headers = hostile;
    const account = await signUp(browser);
    expect(appUrl(configured)).toBe("https://accounts.example.test");
    await verificationToken(configured, account.email);
    expectStatus(await browser.post("/api/auth/verify-email/resend"), 202);
    await verificationToken(configured, account.email, 2);
    expectStatus(await browser.post("/api/auth/password-reset", { email: account.email }), 202);
    await resetToken(configured, account.email);
    expectOnlyAppLinks(configured, account.email);
  });

  it("the forgot-password page's own form links to APP_URL too", async () => {
    const account = await signUp(Browser.of(app));
    const page = await request(app.url, "/forgot-password", { headers: { Host: "evil.example" } });
    const fields = hiddenFields(page.text);
    expect(fields.length).toBeGreaterThan(0);
    const response = await postForm(app.url, "/forgot-password", [...fields, ["email", account.email]], { Origin: app.url, "X-Forwarded-Host": "evil.example" });
    expect(response.status).toBeLessThan(400);
    await resetToken(app, account.email);
    expectOnlyAppLinks(app, account.email);
  });
});

describeWithDatabase(REQUIREMENTS.tokens.getDoesNotConsume, () => {
  const scanners = [
    { "User-Agent": "Mozilla/5.0 (compatible; SafeLinks scanner)" },
    { Purpose: "prefetch", "Sec-Purpose": "prefetch" },
    { "User-Agent": "Mimecast URL scanner", Accept: "*/*" },
    { "Next-Router-Prefetch": "1", RSC: "1" },
  ];

  /** Opens a link as a browser does: GET, following same-site redirects with the cookies they set. */
  async function open(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    let target = new URL(url);
    let cookies: string[] = [];
    for (let hop = 0; hop < 5; hop++) {
      const response = await request(app.url, `${target.pathname}${target.search}`, { headers: { Accept: "text/html", ...headers, ...(cookies.length ? { Cookie: cookies.join("; ") } : {}) } });
      cookies = [...cookies, ...response.setCookies.map((c) => c.split(";")[0]!)];
      if (![301, 302, 303, 307, 308].includes(response.status)) return Object.assign(response, { cookies });
      target = new URL(response.headers.location!, target);
      expect(target.origin).toBe(new URL(app.url).origin);
    }
    throw new Error("too many redirects");
  }

  it("opening a verification link (GET, HEAD, prefetches, scanners) verifies nothing; the page's POST does", async () => {
    const browser = Browser.of(app);
    const account = await signUp(browser);
    const link = `${app.url}/verify-email?token=${await verificationToken(app, account.email)}`;
    for (const headers of [{}, ...scanners]) {
      const page = await open(link, headers);
      expect(page.status).toBe(200);
    }
    expect((await request(app.url, new URL(link).pathname + new URL(link).search, { method: "HEAD" })).status).toBeLessThan(500);
    const api = await request(app.url, `/api/auth/verify-email${new URL(link).search}`);
    expect(api.status).toBe(405);
    expect(await verified(account.email)).toBe(false);
    expect((await browser.get("/api/auth/session")).json.user.emailVerified).toBe(false);

    // The page confirms with a POST of its own form.
    const page = (await open(link)) as HttpResponse & { cookies: string[] };
    expect(page.text).toMatch(/<form[^>]*method="POST"/i);
    const fields = hiddenFields(page.text);
    const confirm = await postForm(app.url, "/verify-email", fields, { Origin: app.url, Cookie: page.cookies.join("; ") });
    expect(confirm.status).toBeLessThan(400);
    expect(await verified(account.email)).toBe(true);
  });

  it("opening a reset link does not spend it: the token still sets a new password afterwards", async () => {
    const account = await signUp(Browser.of(app));
    const token = await requestReset(app, account.email);
    const link = `${app.url}/reset-password?token=${token}`;
    for (const headers of [{}, ...scanners]) expect((await open(link, headers)).status).toBe(200);
    expectStatus(await confirmReset(token, "still works passphrase"), 200);
  });
});

describeWithDatabase(REQUIREMENTS.tokens.changedNotice, () => {
  function notices(email: string): number {
    return mailsTo(app, email).filter((m) => /password/i.test(m.subject) && /changed/i.test(`${m.subject} ${m.text}`)).length;
  }

  async function waitForNotices(email: string, count: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (notices(email) < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(notices(email)).toBe(count);
  }

  it("a password change and a reset each send a notice that carries no token; a refused change sends none", async () => {
    const browser = Browser.of(app);
    const account = await verifiedAccount(app, browser);
    const refused = await browser.post("/api/auth/change-password", { currentPassword: "wrong current", newPassword: "refused passphrase 1" });
    expect(refused.status).toBe(401);
    expectStatus(await browser.post("/api/auth/change-password", { currentPassword: account.password, newPassword: "changed passphrase 11" }), 200);
    await waitForNotices(account.email, 1);
    const token = await requestReset(app, account.email);
    expectStatus(await confirmReset(token, "reset passphrase 22"), 200);
    await waitForNotices(account.email, 2);
    const notice = mailsTo(app, account.email).filter((m) => /changed/i.test(`${m.subject} ${m.text}`));
    for (const mail of notice) expect(tokensIn(mail)).toEqual([]);
    await signIn(Browser.of(app), { email: account.email, password: "reset passphrase 22" });
  });
});
