/**
 * Enumeration and brute force from outside: identical answers for unknown and known accounts, timing
 * as a coarse ratio, per-account and per-IP throttling with growing delays and a lock that only a reset
 * opens, shared by every instance (PostgreSQL, and Redis when configured), the client IP taken from the
 * socket, and the limits on e-mail-sending routes.
 *
 * Most tests run behind TRUST_PROXY with an X-Forwarded-For of their own, as a fleet behind a load
 * balancer would, so each attack has its own client IP; the client-IP tests run without it.
 */
import { createHash } from "node:crypto";
import { Database, describeWithDatabase, startApp, START_TIMEOUT_MS, type NextServer } from "../support/security-app";
import { redisAvailable, TEST_REDIS_URL } from "../support/redis";
import { Browser, isErrorBody, median, parseSetCookie, PASSWORD, sleep, uniqueEmail, type HttpResponse } from "../support/security-http";
import { expectStatus, mailsTo, nthLinkMail, resetToken, signInWithForm, signUp, type Account } from "./flows";
import { REQUIREMENTS } from "./requirements";

const LOCK_AFTER = 8;
const LIMITS = {
  RATE_LIMIT_SCALE: "1",
  TRUST_PROXY: "true",
  RATE_LIMIT_SIGN_IN_LOCK_AFTER: String(LOCK_AFTER),
  RATE_LIMIT_SIGN_IN_PER_IP: "5",
  RATE_LIMIT_SIGN_UP_PER_IP: "3",
  RATE_LIMIT_EMAIL_PER_IP: "3",
};

let app: NextServer;
/** A second instance of the same deployment (same database, same limits). */
let second: NextServer;
let db: Database;

beforeAll(async () => {
  app = await startApp({ env: LIMITS });
  second = await startApp({ databaseUrl: app.databaseUrl, smtp: app.smtp, env: { ...LIMITS, APP_URL: app.url } });
  db = new Database(app.databaseUrl);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await db?.close();
  await second?.stop();
  await app?.stop();
});

let ipCounter = Math.floor(Math.random() * 200) * 256;
/** A client IP nobody else in this run uses (TEST-NET and private ranges). */
function freshIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** A browser tab behind the trusted proxy with its own client IP. */
function client(server: NextServer = app, ip = freshIp()): Browser {
  const browser = Browser.of(server);
  browser.headers = { "X-Forwarded-For": ip };
  return browser;
}

async function account(): Promise<Account> {
  return signUp(client());
}

/** One sign-in attempt from a fresh IP: a brute force spread over many addresses. */
function attempt(email: string, password: string, server: NextServer = app): Promise<HttpResponse> {
  return client(server).post("/api/auth/sign-in", { email, password });
}

function code(response: HttpResponse): string | null {
  return isErrorBody(response.json) ? response.json.error.code : null;
}

function retryAfter(response: HttpResponse): number {
  const value = Number(response.headers["retry-after"]);
  expect(Number.isInteger(value) && value >= 1).toBe(true);
  return value;
}

/** The parts of an answer an attacker can compare; the date, the per-request id and connection handling aside. */
function observable(response: HttpResponse): unknown {
  const headers = Object.fromEntries(
    Object.entries(response.headers)
      .filter(([name]) => !["date", "x-request-id", "connection", "keep-alive", "transfer-encoding"].includes(name))
      .map(([name, value]) => [name, name === "set-cookie" ? (value as string[]).map((c) => parseSetCookie(c).name + "=" + parseSetCookie(c).value) : value]),
  );
  return { status: response.status, body: response.text, headers };
}

describeWithDatabase(REQUIREMENTS.enumeration.sameAnswer, () => {
  it("unknown e-mail and wrong password: same status, body and headers (also with a stale cookie, also throttled)", async () => {
    const known = await account();
    const unknown = uniqueEmail("nobody");
    expect(observable(await attempt(known.email, "wrong password 1"))).toEqual(observable(await attempt(unknown, "wrong password 1")));
    const stale = client();
    await signUp(stale);
    const staleCookie = stale.cookie;
    expectStatus(await stale.post("/api/auth/sign-out"), 204);
    const withCookie = (email: string) => client().post("/api/auth/sign-in", { email, password: "wrong password 2" }, { cookie: staleCookie });
    expect(observable(await withCookie(known.email))).toEqual(observable(await withCookie(unknown)));
    // Locked out the same way, at the same count, whether the account exists or not.
    const lockedKnown: unknown[] = [];
    const lockedUnknown: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      lockedKnown.push(observable(await attempt(known.email, `wrong ${i}`)));
      lockedUnknown.push(observable(await attempt(unknown, `wrong ${i}`)));
    }
    const strip = (o: unknown) => JSON.parse(JSON.stringify(o).replace(/"retry-after":"\d+"/, '"retry-after":"n"').replace(/Try again in \d+ seconds/, "Try again in n seconds"));
    expect(lockedKnown.map(strip)).toEqual(lockedUnknown.map(strip));
  });

  it("unknown e-mail and wrong password take similar time: a dummy hash on the unknown path (coarse ratio of medians)", async () => {
    const accounts: Account[] = [];
    for (let i = 0; i < 15; i++) accounts.push(await account());
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) await attempt(uniqueEmail("warm"), "warm-up password"); // warm-up
    for (let i = 0; i < accounts.length; i++) {
      // Alternated, so a slower moment of the machine weighs on both.
      const a = await attempt(accounts[i]!.email, "not the password");
      const b = await attempt(uniqueEmail("nobody"), "not the password");
      expect([a.status, b.status]).toEqual([401, 401]);
      known.push(a.ms);
      unknown.push(b.ms);
    }
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it("a reset request answers the same for an existing, an unknown and a differently written address", async () => {
    const known = await account();
    const answers = [
      await client().post("/api/auth/password-reset", { email: known.email }),
      await client().post("/api/auth/password-reset", { email: uniqueEmail("nobody") }),
      await client().post("/api/auth/password-reset", { email: ` ${known.email.toUpperCase()} ` }),
    ];
    for (const answer of answers) expect(answer.status).toBe(202);
    expect(observable(answers[0]!)).toEqual(observable(answers[1]!));
    expect(observable(answers[0]!)).toEqual(observable(answers[2]!));
  });

  it("resend answers the same whether or not there is anything to send (verified or not)", async () => {
    const unverified = client();
    await signUp(unverified);
    const verified = client();
    const account2 = await signUp(verified);
    const token = /token=([A-Za-z0-9_-]+)/.exec((await nthLinkMail(app, account2.email, "/verify-email")).text)![1]!;
    expectStatus(await verified.post("/api/auth/verify-email", { token }), 200);
    const a = await unverified.post("/api/auth/verify-email/resend");
    const b = await verified.post("/api/auth/verify-email/resend");
    expect(a.status).toBe(202);
    expect(observable(a)).toEqual(observable(b));
  });
});

describeWithDatabase(REQUIREMENTS.enumeration.throttling, () => {
  it(`growing delays after 5 free failures (429 with Retry-After, even for the right password, across rotating IPs), then a hard stop after ${LOCK_AFTER} that only a password reset opens`, async () => {
    const victim = await account();
    for (let i = 0; i < 6; i++) expect((await attempt(victim.email, `guess ${i}`)).status).toBe(401);
    const waits: number[] = [];
    let failures = 6;
    for (;;) {
      // The right password is refused too while a wait runs: the check comes before the hash.
      const blocked = await attempt(victim.email, victim.password);
      expect(blocked.status).toBe(429);
      if (code(blocked) === "ACCOUNT_LOCKED") break;
      expect(code(blocked)).toBe("RATE_LIMITED");
      waits.push(retryAfter(blocked));
      await sleep(waits[waits.length - 1]! * 1000 + 100);
      expect((await attempt(victim.email, `guess ${failures}`)).status).toBe(401);
      failures += 1;
      if (failures > LOCK_AFTER) throw new Error("no lock after the configured number of failures");
    }
    expect(failures).toBe(LOCK_AFTER);
    expect(waits[0]).toBeLessThanOrEqual(2);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]!);
    const locked = await attempt(victim.email, victim.password);
    expect(code(locked)).toBe("ACCOUNT_LOCKED");
    retryAfter(locked);
    // The reset flow stays open to the owner: request, mail, confirm, sign in.
    expectStatus(await client().post("/api/auth/password-reset", { email: victim.email }), 202);
    const token = await resetToken(app, victim.email);
    expectStatus(await client().post("/api/auth/password-reset/confirm", { token, password: "after the lock 2026" }), 200);
    expect((await attempt(victim.email, "after the lock 2026")).status).toBe(200);
  });

  it("keyed by the canonical e-mail: case and spaces do not give an attacker fresh counters", async () => {
    const victim = await account();
    const spellings = [victim.email, victim.email.toUpperCase(), ` ${victim.email}`, `${victim.email}  `, victim.email.replace(/^./, (c) => c.toUpperCase()), victim.email.toUpperCase()];
    for (const spelling of spellings) expect((await attempt(spelling, "wrong")).status).toBe(401);
    expect((await attempt(victim.email.toUpperCase(), victim.password)).status).toBe(429);
  });

  it("keyed by account whether it exists or not: an unknown address is throttled at the same count", async () => {
    const ghost = uniqueEmail("ghost");
    for (let i = 0; i < 6; i++) expect((await attempt(ghost, "wrong")).status).toBe(401);
    expect((await attempt(ghost, "wrong")).status).toBe(429);
  });

  it("the counter resets on success", async () => {
    const victim = await account();
    for (let i = 0; i < 5; i++) expect((await attempt(victim.email, "wrong")).status).toBe(401);
    expect((await attempt(victim.email, victim.password)).status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await attempt(victim.email, "wrong")).status).toBe(401);
  });

  it("the counters are shared by every instance: failures spread over two instances add up", async () => {
    const victim = await account();
    for (let i = 0; i < 6; i++) expect((await attempt(victim.email, "wrong", i % 2 === 0 ? app : second)).status).toBe(401);
    expect((await attempt(victim.email, victim.password, second)).status).toBe(429);
    expect((await attempt(victim.email, victim.password, app)).status).toBe(429);
  });

  it("applied in the application layer: the sign-in page's server action counts into the same throttle", async () => {
    const victim = await account();
    for (let i = 0; i < 6; i++) {
      const form = await signInWithForm(app, victim.email, `wrong ${i}`, { "X-Forwarded-For": freshIp() });
      expect(form.status).toBeLessThan(500);
      expect(form.setCookies.filter((c) => parseSetCookie(c).name === "session" && parseSetCookie(c).value !== "")).toEqual([]);
    }
    // The form's failures throttle the API…
    expect((await attempt(victim.email, victim.password)).status).toBe(429);
    // …and the right password through the form opens no session while throttled.
    const form = await signInWithForm(app, victim.email, victim.password, { "X-Forwarded-For": freshIp() });
    expect(form.setCookies.filter((c) => parseSetCookie(c).name === "session" && parseSetCookie(c).value !== "")).toEqual([]);
  });

  it("re-authentication counts too: a stolen session cannot guess the password at full speed", async () => {
    const browser = client();
    const victim = await signUp(browser);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      browser.headers = { "X-Forwarded-For": freshIp() };
      statuses.push((await browser.post("/api/auth/change-password", { currentPassword: `guess ${i}`, newPassword: "new passphrase 77" })).status);
    }
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses[6]).toBe(429);
    expect((await attempt(victim.email, victim.password)).status).toBe(429);
  });

  it("per client IP: a sixth sign-in from one address within the window is refused, whatever the accounts", async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect((await client(app, ip).post("/api/auth/sign-in", { email: uniqueEmail(), password: "x-password" })).status).toBe(401);
    const refused = await client(app, ip).post("/api/auth/sign-in", { email: uniqueEmail(), password: "x-password" });
    expect(refused.status).toBe(429);
    retryAfter(refused);
    expect((await client(app, freshIp()).post("/api/auth/sign-in", { email: uniqueEmail(), password: "x-password" })).status).toBe(401);
  });

  /** Waits until the outbox holds no unsent reset mail for `email` and the capture has every sent one. */
  async function resetMailsDelivered(email: string, timeoutMs = 30_000): Promise<void> {
    const db = new Database(app.databaseUrl);
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [row] = await db.query<{ unsent: number; sent: number }>(
          `SELECT count(*) FILTER (WHERE sent_at IS NULL)::int AS unsent, count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent
             FROM outbox WHERE recipient = $1 AND template = 'password-reset'`,
          [email.toLowerCase()],
        );
        const captured = mailsTo(app, email).filter((m) => m.text.includes("/reset-password?token=")).length;
        if (row.sent > 0 && row.unsent === 0 && captured >= row.sent) return;
        if (Date.now() > deadline) throw new Error(`reset mails to ${email} not delivered: ${JSON.stringify(row)}, ${captured} captured`);
        await sleep(100);
      }
    } finally {
      await db.close();
    }
  }

  it("an attacker cannot lock the owner out of the reset flow by flooding it: the newest mailed link still works", async () => {
    const victim = await account();
    for (let i = 0; i < 8; i++) expectStatus(await client().post("/api/auth/password-reset", { email: victim.email }), 202);
    // Sign-in failures on top do not close the reset flow either.
    for (let i = 0; i < LOCK_AFTER; i++) await attempt(victim.email, "wrong");
    expectStatus(await client().post("/api/auth/password-reset", { email: victim.email }), 202);
    // Every reset mail queued for the victim is out and captured, so the newest one here is the newest
    // link issued (a fixed pause let an older, already voided link pass for the newest under load).
    await resetMailsDelivered(victim.email);
    const mails = mailsTo(app, victim.email).filter((m) => m.text.includes("/reset-password?token="));
    expect(mails.length).toBeGreaterThan(0);
    // The newest link is the newest token issued, whatever order the mails reached the SMTP server in
    // (the outbox sends a batch at once, so the last one captured may carry an older, voided link).
    const tokens = await Promise.all(mails.map((_, i) => resetToken(app, victim.email, i + 1)));
    const db = new Database(app.databaseUrl);
    let newest: { token_hash: string; invalidated_at: Date | null; consumed_at: Date | null };
    try {
      [newest] = await db.query<{ token_hash: string; invalidated_at: Date | null; consumed_at: Date | null }>(
        `SELECT token_hash, invalidated_at, consumed_at FROM verification_tokens WHERE token_hash = ANY($1) ORDER BY created_at DESC LIMIT 1`,
        [tokens.map((t) => createHash("sha256").update(t, "utf8").digest("hex"))],
      );
    } finally {
      await db.close();
    }
    expect([newest!.invalidated_at, newest!.consumed_at]).toEqual([null, null]);
    const token = tokens.find((t) => createHash("sha256").update(t, "utf8").digest("hex") === newest!.token_hash)!;
    expectStatus(await client().post("/api/auth/password-reset/confirm", { token, password: "owner wins again 2026" }), 200);
    expect((await attempt(victim.email, "owner wins again 2026")).status).toBe(200);
  });
});

if (redisAvailable()) describeWithDatabase(`${REQUIREMENTS.enumeration.throttling} (Redis)`, () => {
  let redisA: NextServer;
  let redisB: NextServer;

  beforeAll(async () => {
    const env = { ...LIMITS, REDIS_URL: TEST_REDIS_URL };
    redisA = await startApp({ env });
    redisB = await startApp({ databaseUrl: redisA.databaseUrl, smtp: redisA.smtp, env: { ...env, APP_URL: redisA.url } });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await redisB?.stop();
    await redisA?.stop();
  });

  it("with REDIS_URL the counters live in Redis and are shared by every instance", async () => {
    const victim = await signUp(client(redisA));
    for (let i = 0; i < 6; i++) expect((await attempt(victim.email, "wrong", i % 2 === 0 ? redisA : redisB)).status).toBe(401);
    expect((await attempt(victim.email, victim.password, redisB)).status).toBe(429);
    expect((await attempt(victim.email, victim.password, redisA)).status).toBe(429);
    const redisDb = new Database(redisA.databaseUrl);
    try {
      expect(await redisDb.query(`SELECT key FROM rate_limits WHERE key LIKE $1`, [`%${victim.email}%`])).toEqual([]);
    } finally {
      await redisDb.close();
    }
  });
});

describeWithDatabase(REQUIREMENTS.enumeration.clientIp, () => {
  let direct: NextServer;

  beforeAll(async () => {
    direct = await startApp({ env: { RATE_LIMIT_SCALE: "1", RATE_LIMIT_SIGN_IN_PER_IP: "5", TRUST_PROXY: undefined } });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await direct?.stop();
  });

  const spoofed: Array<Record<string, string>> = [
    { "X-Forwarded-For": "203.0.113.7" },
    { "X-Forwarded-For": "203.0.113.8, 198.51.100.9" },
    { "X-Real-IP": "203.0.113.10" },
    { Forwarded: "for=203.0.113.11;proto=https" },
    { "CF-Connecting-IP": "203.0.113.12" },
    { "True-Client-IP": "203.0.113.13" },
    { "X-Client-IP": "203.0.113.14" },
    { "X-Cluster-Client-IP": "203.0.113.15" },
    { "x-socket-remote-address": "203.0.113.16" },
    { "X-Forwarded-For": "203.0.113.17", "x-socket-remote-address": "203.0.113.18", "X-Real-IP": "203.0.113.19" },
  ];

  it("the session list and the auth log show the socket address, not a spoofed header", async () => {
    const browser = Browser.of(direct);
    browser.headers = spoofed[9]!;
    const account = await signUp(browser);
    const sessions = await browser.get("/api/auth/sessions");
    expect(sessions.json.sessions.map((s: { ip: string }) => s.ip)).toEqual(["127.0.0.1"]);
    const directDb = new Database(direct.databaseUrl);
    try {
      const events = await directDb.query<{ ip: string }>(`SELECT ip FROM auth_events WHERE user_id = $1`, [account.userId]);
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) expect(event.ip).toBe("127.0.0.1");
    } finally {
      await directDb.close();
    }
  });

  it("spoofed X-Forwarded-For and friends do not move the per-IP sign-in limit", async () => {
    for (let i = 0; i < 5; i++) {
      const response = await Browser.of(direct).post("/api/auth/sign-in", { email: uniqueEmail(), password: "x-password" }, { headers: spoofed[i % spoofed.length] });
      expect(response.status).toBe(401);
    }
    for (const headers of spoofed) {
      const response = await Browser.of(direct).post("/api/auth/sign-in", { email: uniqueEmail(), password: "x-password" }, { headers });
      expect(response.status).toBe(429);
      retryAfter(response);
    }
  });

  it("with TRUST_PROXY, the right-most X-Forwarded-For entry (the one the proxy added) is the client", async () => {
    const browser = Browser.of(app);
    browser.headers = { "X-Forwarded-For": "1.1.1.1, 10.200.0.9" };
    await signUp(browser);
    const sessions = await browser.get("/api/auth/sessions");
    expect(sessions.json.sessions.map((s: { ip: string }) => s.ip)).toEqual(["10.200.0.9"]);
  });
});

describeWithDatabase(REQUIREMENTS.enumeration.mailLimits, () => {
  it("resend: five mails per account per hour, then 429 with Retry-After", async () => {
    const browser = client();
    const account = await signUp(browser);
    for (let i = 0; i < 4; i++) {
      browser.headers = { "X-Forwarded-For": freshIp() };
      expectStatus(await browser.post("/api/auth/verify-email/resend"), 202);
    }
    browser.headers = { "X-Forwarded-For": freshIp() };
    const refused = await browser.post("/api/auth/verify-email/resend");
    expect(refused.status).toBe(429);
    retryAfter(refused);
    await sleep(1500);
    expect(mailsTo(app, account.email).filter((m) => m.text.includes("/verify-email?token="))).toHaveLength(5);
  });

  it("reset: at most five mails per account per hour (the sign-up mail included), the answer unchanged (202) beyond it", async () => {
    const owner = await account();
    for (let i = 0; i < 8; i++) expectStatus(await client().post("/api/auth/password-reset", { email: owner.email }), 202);
    await sleep(2000);
    expect(mailsTo(app, owner.email).filter((m) => m.text.includes("/verify-email?token="))).toHaveLength(1);
    expect(mailsTo(app, owner.email).filter((m) => m.text.includes("/reset-password?token="))).toHaveLength(4);
  });

  it("per IP: sign-up, reset and resend from one address stop after the configured count with 429", async () => {
    const signUpIp = freshIp();
    for (let i = 0; i < 3; i++) await signUp(client(app, signUpIp));
    const tooMany = await client(app, signUpIp).post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD });
    expect(tooMany.status).toBe(429);
    retryAfter(tooMany);

    const resetIp = freshIp();
    for (let i = 0; i < 3; i++) expectStatus(await client(app, resetIp).post("/api/auth/password-reset", { email: uniqueEmail() }), 202);
    const resetRefused = await client(app, resetIp).post("/api/auth/password-reset", { email: uniqueEmail() });
    expect(resetRefused.status).toBe(429);
    retryAfter(resetRefused);

    const resendIp = freshIp();
    const tabs = [client(), client(), client(), client()];
    for (const tab of tabs) await signUp(tab);
    for (const [i, tab] of tabs.entries()) {
      tab.headers = { "X-Forwarded-For": resendIp };
      const response = await tab.post("/api/auth/verify-email/resend");
      expect(response.status).toBe(i < 3 ? 202 : 429);
    }
  });
});
