/**
 * Mail under failure. The outbox commits a mail with the change that asks for it; a dispatcher sends it
 * under a lease. An SMTP outage delays mail without losing it, and a server killed (SIGKILL) while a
 * mail is in flight loses nothing either: after a restart the mail goes out once the lease has run out.
 * The guarantee is at-least-once: a crash after the SMTP server accepted a mail but before it was
 * marked sent would send it again with the same link (see docs/security.md).
 */
import { describeWithDatabase, freshDatabase, killServer, Database, SmtpCapture, startApp, START_TIMEOUT_MS, type NextServer } from "../support/security-app";
import { Browser, PASSWORD, sleep, tokensIn, uniqueEmail } from "../support/security-http";
import { TcpProxy } from "../support/tcp-proxy";

async function waitForMail(smtp: SmtpCapture, email: string, timeoutMs: number): Promise<void> {
  await smtp.waitFor((mail) => mail.to.includes(email), timeoutMs);
}

function mailsTo(smtp: SmtpCapture, email: string) {
  return smtp.messages.filter((mail) => mail.to.includes(email));
}

describeWithDatabase("SMTP down: requests still succeed at once, and the mail arrives after the server returns (outbox)", () => {
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

  it("mails queued during the outage are delivered after it, with working links, and the outage never held a request", async () => {
    const before = uniqueEmail("before");
    const browser = Browser.of(app);
    expect((await browser.post("/api/auth/sign-up", { email: before, password: PASSWORD })).status).toBe(201);
    await waitForMail(app.smtp, before, 10_000);

    const port = app.smtp.port;
    await app.smtp.stop();
    const during = uniqueEmail("during");
    const signUp = await Browser.of(app).post("/api/auth/sign-up", { email: during, password: PASSWORD });
    expect(signUp.status).toBe(201);
    expect(signUp.ms).toBeLessThan(2000);
    const reset = await Browser.of(app).post("/api/auth/password-reset", { email: before });
    expect(reset.status).toBe(202);
    expect(reset.ms).toBeLessThan(2000);

    // Attempts fail and are rescheduled; the reason kept in the row names no token or link.
    await sleep(4000);
    const pending = await db.query<{ attempts: number; last_error: string | null; recipient: string }>(`SELECT attempts, last_error, recipient FROM outbox WHERE sent_at IS NULL`);
    expect(pending.map((p) => p.recipient).sort()).toEqual([before, during].sort());
    for (const row of pending) {
      expect(row.attempts).toBeGreaterThanOrEqual(1);
      expect(row.last_error ?? "").not.toMatch(/token=|https?:\/\/|[A-Za-z0-9_-]{40,}/);
    }
    expect(app.output()).not.toMatch(/token=[A-Za-z0-9_-]{20,}/);

    await app.smtp.start(port);
    await waitForMail(app.smtp, during, 30_000);
    await app.smtp.waitFor((mail) => mail.to.includes(before) && /reset-password\?token=/.test(mail.text), 30_000);
    expect(mailsTo(app.smtp, during)).toHaveLength(1);
    const verify = tokensIn(mailsTo(app.smtp, during)[0]!)[0]!;
    expect((await Browser.of(app).post("/api/auth/verify-email", { token: verify })).status).toBe(200);
    const resetMail = mailsTo(app.smtp, before).find((mail) => /reset-password\?token=/.test(mail.text))!;
    const token = tokensIn(resetMail)[0]!;
    expect((await Browser.of(app).post("/api/auth/password-reset/confirm", { token, password: "after the outage 2026" })).status).toBe(200);
    // The "password changed" notice the reset queued goes out too; then nothing waits and nothing sealed remains.
    await app.smtp.waitFor((mail) => mail.to.includes(before) && /changed/i.test(mail.subject), 15_000);
    const drained = Date.now() + 5000;
    while (Date.now() < drained && (await db.query(`SELECT 1 FROM outbox WHERE sent_at IS NULL`)).length > 0) await sleep(100);
    expect(await db.query(`SELECT 1 FROM outbox WHERE sent_at IS NULL OR params_sealed IS NOT NULL`)).toEqual([]);
  }, 90_000);
});

describeWithDatabase("the app killed (SIGKILL) in the middle of sending a mail and restarted: no mail is lost (at-least-once, under a lease)", () => {
  let smtp: SmtpCapture;
  let proxy: TcpProxy;
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  const servers: NextServer[] = [];

  beforeAll(async () => {
    smtp = new SmtpCapture();
    await smtp.start();
    proxy = new TcpProxy(smtp.port);
    await proxy.start();
    database = await freshDatabase();
    db = new Database(database.url);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    for (const server of servers.reverse()) await server.stop();
    await db?.close();
    await proxy?.stop();
    await smtp?.stop();
    await database?.drop();
  });

  function start(): Promise<NextServer> {
    return startApp({ databaseUrl: database.url, smtp, env: { SMTP_URL: `smtp://127.0.0.1:${proxy.port}` } }).then((server) => {
      servers.push(server);
      return server;
    });
  }

  it("a mail claimed by a killed server is sent after the restart, once its lease has run out, exactly once", async () => {
    const first = await start();
    // The SMTP server accepts the connection and never answers: the dispatcher is stuck mid-send.
    await proxy.setMode("blackhole");
    const email = uniqueEmail("crash");
    expect((await Browser.of(first).post("/api/auth/sign-up", { email, password: PASSWORD })).status).toBe(201);
    const deadline = Date.now() + 10_000;
    let claimed: { lease_until: Date | null; attempts: number; sent_at: Date | null } | undefined;
    while (Date.now() < deadline) {
      claimed = (await db.query<{ lease_until: Date | null; attempts: number; sent_at: Date | null }>(`SELECT lease_until, attempts, sent_at FROM outbox WHERE recipient = $1`, [email]))[0];
      if (claimed?.lease_until) break;
      await sleep(100);
    }
    expect(claimed?.lease_until).toBeTruthy();
    // The dispatcher has connected and waits for a greeting that never comes.
    while (Date.now() < deadline && proxy.open === 0) await sleep(50);
    expect(proxy.open).toBeGreaterThan(0);

    await killServer(first);
    proxy.cutAll();
    await proxy.setMode("forward");
    const row = await db.one<{ sent_at: Date | null; lease_until: Date }>(`SELECT sent_at, lease_until FROM outbox WHERE recipient = $1`, [email]);
    expect(row.sent_at).toBeNull();
    expect(row.lease_until.getTime()).toBeGreaterThan(Date.now());

    const second = await start();
    // While the dead server's lease holds, nobody sends the mail a second time.
    await sleep(3000);
    expect(mailsTo(smtp, email)).toHaveLength(0);
    // As if the lease (120 s) had run out: the restarted server takes the mail over.
    await db.query(`UPDATE outbox SET lease_until = now() - interval '1 second' WHERE recipient = $1`, [email]);
    await waitForMail(smtp, email, 15_000);
    await sleep(2500);
    expect(mailsTo(smtp, email)).toHaveLength(1);
    const token = tokensIn(mailsTo(smtp, email)[0]!)[0]!;
    expect((await Browser.of(second).post("/api/auth/verify-email", { token })).status).toBe(200);
    const sent = await db.one<{ sent_at: Date | null; params_sealed: Buffer | null; attempts: number }>(`SELECT sent_at, params_sealed, attempts FROM outbox WHERE recipient = $1`, [email]);
    expect(sent.sent_at).not.toBeNull();
    expect(sent.params_sealed).toBeNull();
    expect(sent.attempts).toBe(2);
  }, 120_000);
});
