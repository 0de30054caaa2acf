/**
 * Throttling as an attacker meets it: per account across client IPs (growing delays, then a lock that
 * only a password reset opens), per client IP whatever X-Forwarded-For claims, and on every
 * e-mail-sending route. Requests come from different loopback addresses (127.0.0.0/8), so the server
 * sees different socket addresses without trusting any header.
 */
import { randomInt } from "node:crypto";
import Redis from "ioredis";
import { describeWithPostgres, startNextServer, type NextServer } from "../support/next-server";
import { redisAvailable, TEST_REDIS_URL } from "../support/redis";
import { linkToken, PASSWORD, Tab, uniqueEmail, type Response } from "./http-client";

const LIMITS = {
  RATE_LIMIT_SCALE: "1",
  RATE_LIMIT_SIGN_IN_PER_IP: "8",
  // Five free failures, then waits of 2 s, 4 s…; the seventh failure locks.
  RATE_LIMIT_SIGN_IN_LOCK_AFTER: "7",
  RATE_LIMIT_SIGN_UP_PER_IP: "3",
  RATE_LIMIT_EMAIL_PER_IP: "6",
  RATE_LIMIT_EMAIL_PER_ACCOUNT: "2",
  RATE_LIMIT_DEVICE_CODES_PER_IP: "3",
};

let nextAddress = 1;
/** A loopback address no other test of this run has used (so no per-IP counter is shared by accident). */
function freshIp(): string {
  nextAddress += 1;
  return `127.0.${Math.floor(nextAddress / 250) + 1}.${(nextAddress % 250) + 1}`;
}

function retryAfter(response: Response): number {
  const value = Number(response.headers["retry-after"]);
  expect(Number.isInteger(value)).toBe(true);
  expect(value).toBeGreaterThanOrEqual(1);
  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithPostgres("rate limits over HTTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer({ env: LIMITS });
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const from = (ip = freshIp()) => new Tab(server.url, "rate-limit-test", ip);

  async function account(): Promise<{ email: string }> {
    const email = uniqueEmail("limited");
    const response = await from().post("/api/auth/sign-up", { email, password: PASSWORD });
    expect(response.status).toBe(201);
    return { email };
  }

  const signIn = (email: string, password: string, tab = from()) => tab.post("/api/auth/sign-in", { email, password });

  it("counts failures per account across client IPs: free tries, then a growing wait, then a lock only a reset opens", async () => {
    const { email } = await account();
    for (let i = 0; i < 6; i++) expect((await signIn(email, `wrong guess number ${i}`)).status).toBe(401);

    // The seventh try comes too soon, from yet another address: refused before the password is even checked.
    const early = await signIn(email, PASSWORD);
    expect(early.status).toBe(429);
    expect(early.body.error.code).toBe("RATE_LIMITED");
    const wait = retryAfter(early);
    expect(wait).toBeLessThanOrEqual(2);
    expect(early.headers["cache-control"]).toBe("no-store");

    await sleep(wait * 1000 + 200);
    expect((await signIn(email, "wrong guess number 7")).status).toBe(401);

    // Locked now: even the right password from a new address is refused.
    const locked = await signIn(email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("ACCOUNT_LOCKED");
    retryAfter(locked);

    // The reset flow is not locked, and a reset opens the account.
    const before = server.smtp.messages.length;
    expect((await from().post("/api/auth/password-reset", { email })).status).toBe(202);
    const mail = await server.smtp.waitFor((m) => m.to.includes(email) && /reset/i.test(m.subject) && server.smtp.messages.indexOf(m) >= before, 10_000);
    const reset = await from().post("/api/auth/password-reset/confirm", { token: linkToken(mail, server.url, "/reset-password"), password: "the reset passphrase 5" });
    expect(reset.status).toBe(200);
    expect((await signIn(email, "the reset passphrase 5")).status).toBe(200);
  });

  it("a successful sign-in clears the failure count", async () => {
    const { email } = await account();
    for (let i = 0; i < 5; i++) expect((await signIn(email, `wrong guess ${i}`)).status).toBe(401);
    expect((await signIn(email, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await signIn(email, `wrong again ${i}`)).status).toBe(401);
  });

  it("throttles an unknown e-mail exactly like a known one", async () => {
    const known = (await account()).email;
    const unknown = uniqueEmail("ghost");
    for (const email of [known, unknown]) {
      for (let i = 0; i < 6; i++) expect((await signIn(email, `guess ${i}`)).status).toBe(401);
    }
    const a = await signIn(known, "guess 6");
    const b = await signIn(unknown, "guess 6");
    expect(a.status).toBe(429);
    expect(b.status).toBe(429);
    expect(a.body.error.code).toBe(b.body.error.code);
  });

  it("limits attempts per client IP, and a forged X-Forwarded-For or socket header changes nothing", async () => {
    const ip = freshIp();
    for (let i = 0; i < 8; i++) {
      const response = await signIn(uniqueEmail("spray"), "whatever password", from(ip).withHeaders({ "X-Forwarded-For": `198.51.100.${i}`, "X-Real-IP": `198.51.100.${i}` }));
      expect(response.status).toBe(401);
    }
    const refused = await signIn(uniqueEmail("spray"), "whatever password", from(ip).withHeaders({ "X-Forwarded-For": "203.0.113.99" }));
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("RATE_LIMITED");
    expect(retryAfter(refused)).toBeGreaterThan(60);

    const spoofed = await signIn(uniqueEmail("spray"), "whatever password", from(ip).withHeaders({ "x-socket-remote-address": "203.0.113.7" }));
    expect(spoofed.status).toBe(429);

    // Another client is unaffected.
    expect((await signIn(uniqueEmail("spray"), "whatever password")).status).toBe(401);
  });

  it("limits device codes issued per client IP: 429 in OAuth's shape with Retry-After, nothing stored", async () => {
    const ip = freshIp();
    const start = (tab = from(ip)) => tab.send("POST", "/api/oauth/device/code", { body: { client_id: "cli" }, origin: null, cookie: null });
    for (let i = 0; i < 3; i++) expect((await start()).status).toBe(200);
    const refused = await start();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: "rate_limited", error_description: expect.any(String) });
    expect(String(refused.headers["cache-control"])).toContain("no-store");
    retryAfter(refused);
    expect((await start(from())).status).toBe(200);
  });

  it("limits sign-ups per client IP", async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await from(ip).post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD })).status).toBe(201);
    const refused = await from(ip).post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("RATE_LIMITED");
    retryAfter(refused);
    expect((await from().post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD })).status).toBe(201);
  });

  it("limits reset requests per client IP", async () => {
    const ip = freshIp();
    for (let i = 0; i < 6; i++) expect((await from(ip).post("/api/auth/password-reset", { email: uniqueEmail("who") })).status).toBe(202);
    const refused = await from(ip).post("/api/auth/password-reset", { email: uniqueEmail("who") });
    expect(refused.status).toBe(429);
    retryAfter(refused);
  });

  it("caps e-mails per account: resend is refused with 429, reset requests still answer 202 but send nothing more", async () => {
    const email = uniqueEmail("inbox");
    const browser = from();
    expect((await browser.post("/api/auth/sign-up", { email, password: PASSWORD })).status).toBe(201);
    expect((await browser.send("POST", "/api/auth/verify-email/resend")).status).toBe(202);
    const refused = await browser.send("POST", "/api/auth/verify-email/resend");
    expect(refused.status).toBe(429);
    retryAfter(refused);

    await server.smtp.waitFor((m) => m.to.includes(email) && /confirm/i.test(m.subject), 10_000);
    for (let i = 0; i < 3; i++) expect((await from().post("/api/auth/password-reset", { email })).status).toBe(202);
    await sleep(3000);
    expect(server.smtp.messages.filter((m) => m.to.includes(email) && /reset/i.test(m.subject))).toHaveLength(0);
    expect(server.smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(2);
  });

  it("records the socket address as the session's IP, whatever the headers say", async () => {
    const ip = freshIp();
    const browser = from(ip).withHeaders({ "X-Forwarded-For": "198.51.100.1", "x-socket-remote-address": "198.51.100.2", "X-Real-IP": "198.51.100.3" });
    expect((await browser.post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD })).status).toBe(201);
    const sessions = await browser.get("/api/auth/sessions");
    expect(sessions.body.sessions.map((s: { ip: string }) => s.ip)).toEqual([ip]);
  });
});

describeWithPostgres("client IP behind a trusted proxy (TRUST_PROXY=true)", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer({ env: { ...LIMITS, TRUST_PROXY: "true" } });
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("takes the right-most X-Forwarded-For entry (the one the proxy appended)", async () => {
    const browser = new Tab(server.url).withHeaders({ "X-Forwarded-For": "203.0.113.66, 198.51.100.23" });
    expect((await browser.post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD })).status).toBe(201);
    const sessions = await browser.get("/api/auth/sessions");
    expect(sessions.body.sessions.map((s: { ip: string }) => s.ip)).toEqual(["198.51.100.23"]);
  });

  it("keys the per-IP limit by that address", async () => {
    const client = (address: string) => new Tab(server.url).withHeaders({ "X-Forwarded-For": `10.0.0.1, ${address}` });
    for (let i = 0; i < 8; i++) expect((await client("198.51.100.50").post("/api/auth/sign-in", { email: uniqueEmail(), password: "nope nope nope" })).status).toBe(401);
    expect((await client("198.51.100.50").post("/api/auth/sign-in", { email: uniqueEmail(), password: "nope nope nope" })).status).toBe(429);
    expect((await client("198.51.100.51").post("/api/auth/sign-in", { email: uniqueEmail(), password: "nope nope nope" })).status).toBe(401);
  });
});

if (redisAvailable()) {
  describeWithPostgres("rate limits in Redis (REDIS_URL)", () => {
    let server: NextServer;
    let redis: Redis;
    beforeAll(async () => {
      server = await startNextServer({ env: { ...LIMITS, RATE_LIMIT_SIGN_IN_PER_IP: "3", REDIS_URL: TEST_REDIS_URL } });
      redis = new Redis(TEST_REDIS_URL);
    }, 15 * 60_000);
    afterAll(async () => {
      await redis?.quit();
      await server?.stop();
    });

    it("enforces the per-IP limit through counters kept in Redis", async () => {
      // A random address: Redis outlives this run, and a counter from an earlier run must not interfere.
      const ip = `127.${randomInt(100, 250)}.${randomInt(1, 250)}.${randomInt(1, 250)}`;
      const tab = () => new Tab(server.url, "redis-limit-test", ip);
      for (let i = 0; i < 3; i++) expect((await tab().post("/api/auth/sign-in", { email: uniqueEmail(), password: "nope nope nope" })).status).toBe(401);
      const refused = await tab().post("/api/auth/sign-in", { email: uniqueEmail(), password: "nope nope nope" });
      expect(refused.status).toBe(429);
      retryAfter(refused);
      const keys = await redis.keys(`*sign-in:ip:${ip}*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    });
  });
}
