/**
 * Secrets at rest and in logs: after a full life of two accounts (sign-up, verification, failures,
 * resets, password change, API keys, revocations, deletion), every row of every table and everything
 * the server printed is searched for every password, token, API-key secret and JWT that crossed the
 * wire, in plain text and in the encodings a careless log would use. Then the auth event log is read
 * back: one event per security-relevant action, with time, IP and user agent, and shown to the user.
 */
import { Database, describeWithDatabase, startApp, START_TIMEOUT_MS, type NextServer } from "../support/security-app";
import { Browser, decodeJwt, sleep, uniqueEmail } from "../support/security-http";
import { expectStatus, mailsTo, resetToken, signIn, signUp, verificationToken } from "./flows";
import { REQUIREMENTS } from "./requirements";

const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0 at-rest-journey";

let app: NextServer;
let db: Database;

/** Everything secret that crossed the wire, with where it came from. */
const secrets = new Map<string, string>();
let journeyStart: Date;
let owner: { email: string; userId: string; cookie: string | null };

function keep(label: string, value: string | null | undefined): void {
  if (!value) throw new Error(`no value for ${label}`);
  secrets.set(value, label);
}

beforeAll(async () => {
  app = await startApp();
  db = new Database(app.databaseUrl);
  journeyStart = new Date(Date.now() - 1000);

  // One account lives a full life.
  const passwords = ["first secret passphrase Ω1", "second secret passphrase Ω2", "third secret passphrase Ω3"];
  const wrong = "a wrong guess that is someone's other password";
  const browser = new Browser(app.url, "session", USER_AGENT);
  const email = uniqueEmail("atrest");
  const account = await signUp(browser, email, passwords[0]);
  passwords.forEach((p, i) => keep(`password ${i + 1}`, p));
  keep("wrong password", wrong);
  keep("cookie after sign-up", browser.cookie);

  const verify = await verificationToken(app, email);
  keep("verification token", verify);
  expectStatus(await browser.post("/api/auth/verify-email", { token: verify }), 200);

  expect((await browser.post("/api/auth/sign-in", { email, password: wrong })).status).toBe(401);
  await signIn(browser, { email, password: passwords[0]! });
  keep("cookie after sign-in", browser.cookie);

  const other = new Browser(app.url, "session", USER_AGENT);
  await signIn(other, { email, password: passwords[0]! });
  keep("second device cookie", other.cookie);
  expectStatus(await browser.delete(`/api/auth/sessions/${decodeJwt(other.cookie!).payload.sid}`), 204);

  const key1 = await browser.post("/api/api-keys", { name: "deploy" });
  const key2 = await browser.post("/api/api-keys", { name: "backup" });
  expectStatus(key1, 201);
  expectStatus(key2, 201);
  keep("API key secret 1", key1.json.secret);
  keep("API key secret 2", key2.json.secret);
  expectStatus(await browser.delete(`/api/api-keys/${key2.json.apiKey.id}`), 204);

  expectStatus(await browser.post("/api/auth/password-reset", { email }), 202);
  const reset1 = await resetToken(app, email, 1);
  expectStatus(await browser.post("/api/auth/password-reset", { email }), 202);
  const reset2 = await resetToken(app, email, 2);
  keep("superseded reset token", reset1);
  keep("reset token", reset2);
  const anonymous = new Browser(app.url, "session", USER_AGENT);
  expectStatus(await anonymous.post("/api/auth/password-reset/confirm", { token: reset2, password: passwords[1] }), 200);

  await signIn(browser, { email, password: passwords[1]! });
  expectStatus(await browser.post("/api/auth/change-password", { currentPassword: passwords[1], newPassword: passwords[2] }), 200);
  keep("cookie after password change", browser.cookie);
  const third = new Browser(app.url, "session", USER_AGENT);
  await signIn(third, { email, password: passwords[2]! });
  keep("third device cookie", third.cookie);
  expectStatus(await third.post("/api/auth/sign-out"), 204);
  const fourth = new Browser(app.url, "session", USER_AGENT);
  await signIn(fourth, { email, password: passwords[2]! });
  expectStatus(await fourth.post("/api/auth/sign-out-all"), 204);
  await signIn(browser, { email, password: passwords[2]! });
  keep("final cookie", browser.cookie);
  expect((await new Browser(app.url, "session", USER_AGENT).post("/api/auth/sign-in", { email, password: `${wrong} again` })).status).toBe(401);
  keep("another wrong password", `${wrong} again`);
  owner = { email, userId: account.userId, cookie: browser.cookie };

  // Another account is created and deleted.
  const leaver = new Browser(app.url, "session", USER_AGENT);
  const gone = await signUp(leaver, uniqueEmail("leaver"), "leaver secret passphrase Ω4");
  keep("deleted account's password", gone.password);
  keep("deleted account's verification token", await verificationToken(app, gone.email));
  expectStatus(await leaver.delete("/api/account", { password: gone.password }), 204);

  // Let the outbox send (and erase) what it holds.
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && (await db.query(`SELECT 1 FROM outbox WHERE sent_at IS NULL`)).length > 0) await sleep(200);
}, START_TIMEOUT_MS);

afterAll(async () => {
  await db?.close();
  await app?.stop();
});

/** The forms a secret takes in a careless log line or column. */
function encodings(secret: string): string[] {
  const forms = [
    secret,
    encodeURIComponent(secret),
    Buffer.from(secret, "utf8").toString("hex"),
    Buffer.from(secret, "utf8").toString("base64"),
    Buffer.from(secret, "utf8").toString("base64url"),
    JSON.stringify(secret).slice(1, -1),
  ];
  // A JWT's signature alone identifies it.
  if (/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(secret)) forms.push(secret.split(".")[2]!);
  return [...new Set(forms)].filter((form) => form.length >= 8);
}

function findSecrets(text: string): string[] {
  const found: string[] = [];
  const lower = text.toLowerCase();
  for (const [secret, label] of secrets) {
    for (const form of encodings(secret)) {
      // Hex may be written in either case; the rest as is.
      const hit = /^[0-9a-f]+$/.test(form) ? lower.includes(form) : text.includes(form);
      if (hit) found.push(`${label} (as ${form === secret ? "plain text" : form.slice(0, 16) + "…"})`);
    }
  }
  return found;
}

describeWithDatabase(REQUIREMENTS.atRest.secrets, () => {
  it("the journey produced the secrets the search looks for (passwords, tokens, API keys, JWTs)", () => {
    const labels = [...secrets.values()];
    expect(labels.filter((l) => l.startsWith("password") || l.includes("password")).length).toBeGreaterThanOrEqual(5);
    expect(labels.filter((l) => l.includes("token")).length).toBeGreaterThanOrEqual(4);
    expect(labels.filter((l) => l.includes("API key")).length).toBe(2);
    expect(labels.filter((l) => l.includes("cookie")).length).toBeGreaterThanOrEqual(5);
  });

  it("the search recognises every secret in every encoding it claims to cover (so a clean result means something)", () => {
    for (const secret of secrets.keys()) {
      for (const form of encodings(secret)) expect(findSecrets(`{"column":"\\x${form}"}`).length).toBeGreaterThan(0);
      expect(findSecrets(JSON.stringify({ hex: `\\x${Buffer.from(secret).toString("hex").toUpperCase()}` })).length).toBeGreaterThan(0);
    }
  });

  it("no table holds any of them in plain text or a plain encoding: every row of every table, from information_schema", async () => {
    const tables = await db.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const names = tables.map((t) => t.table_name);
    for (const expected of ["users", "sessions", "verification_tokens", "api_keys", "outbox", "auth_events", "rate_limits"]) expect(names).toContain(expected);
    let rows = 0;
    const leaks: string[] = [];
    for (const { table_schema, table_name } of tables) {
      const dump = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_schema}"."${table_name}" t`);
      rows += dump.length;
      for (const { row } of dump) for (const leak of findSecrets(row)) leaks.push(`${table_schema}.${table_name}: ${leak}`);
    }
    expect(rows).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
  });

  it("a sent mail's sealed parameters are erased, and nothing waits in the outbox", async () => {
    expect(await db.query(`SELECT id FROM outbox WHERE sent_at IS NULL`)).toEqual([]);
    expect(await db.query(`SELECT id FROM outbox WHERE params_sealed IS NOT NULL`)).toEqual([]);
  });

  it("the server's stdout and stderr hold none of them, and no JWT at all", () => {
    const output = app.output();
    expect(output.length).toBeGreaterThan(0);
    expect(findSecrets(output)).toEqual([]);
    expect(output).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
    expect(output).not.toMatch(/token=[A-Za-z0-9_-]{20,}/);
    expect(output).not.toMatch(/ak_[0-9a-f]{16}_/);
  });

  it("passwords and API keys are stored only as hashes that do not reveal them", async () => {
    const user = await db.one<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1`, [owner.userId]);
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    const keys = await db.query<{ secret_hash: string; prefix: string }>(`SELECT secret_hash, prefix FROM api_keys WHERE user_id = $1`, [owner.userId]);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describeWithDatabase("auth events (sign-in success and failure, sign-out, revocations, reset, password change, verification, API keys) are recorded with time, IP and user agent, without secrets, and shown to the user", () => {
  const expected = [
    "sign-up",
    "email.verified",
    "sign-in.failed",
    "sign-in.succeeded",
    "session.revoked",
    "api-key.created",
    "api-key.revoked",
    "password.reset-requested",
    "password.reset",
    "password.changed",
    "sign-out",
    "sessions.revoked-all",
  ];

  it("every kind of event of the journey is in the log, each with time, IP and user agent", async () => {
    const events = await db.query<{ type: string; at: Date; ip: string | null; user_agent: string | null; detail: Record<string, string> }>(
      `SELECT type, at, ip, user_agent, detail FROM auth_events WHERE user_id = $1 ORDER BY seq`,
      [owner.userId],
    );
    const types = new Set(events.map((e) => e.type));
    for (const type of expected) expect([type, types.has(type)]).toEqual([type, true]);
    const now = Date.now();
    for (const event of events) {
      expect(event.at.getTime()).toBeGreaterThanOrEqual(journeyStart.getTime());
      expect(event.at.getTime()).toBeLessThanOrEqual(now);
      expect(event.ip).toBe("127.0.0.1");
      expect(event.user_agent).toBe(USER_AGENT);
      expect(findSecrets(JSON.stringify(event))).toEqual([]);
    }
  });

  it("a deleted account leaves one deletion event without the address", async () => {
    const deletions = await db.query<{ user_id: string | null; detail: Record<string, string> }>(`SELECT user_id, detail FROM auth_events WHERE type = 'account.deleted'`);
    expect(deletions).toHaveLength(1);
    expect(deletions[0]!.user_id).toBeNull();
    expect(JSON.stringify(deletions[0])).not.toContain("leaver");
  });

  it("the settings page shows the recent security activity to its owner", async () => {
    const page = await new Browser(app.url, "session", USER_AGENT).get("/dashboard/settings", { cookie: owner.cookie, headers: { Accept: "text/html" } });
    expect(page.status).toBe(200);
    const text = page.text.replace(/<!-- -->/g, "");
    expect(text).toContain("Recent security activity");
    const list = /aria-label="Recent security activity"[\s\S]*?<\/ul>/.exec(text)?.[0] ?? "";
    expect(list).not.toBe("");
    for (const phrase of ["Signed in", "Failed sign-in", "Password changed", "API key created", "Signed out everywhere"]) expect(list).toContain(phrase);
    expect(list).toContain("127.0.0.1");
    expect(list).toContain("Firefox");
    expect(findSecrets(page.text)).toEqual([]);
    // Another user sees none of it.
    const stranger = Browser.of(app);
    await signUp(stranger);
    const theirs = await stranger.get("/dashboard/settings", { headers: { Accept: "text/html" } });
    expect(theirs.text).not.toContain("API key created");
    expect(mailsTo(app, owner.email).length).toBeGreaterThan(0);
  });
});
