import type { OutgoingMail } from "../../../src/application/shared/ports/outbox.port";
import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import type { Mailer, RenderedMail } from "../../../src/infrastructure/mail/mailer";
import { MailTemplates } from "../../../src/infrastructure/mail/mail-templates";
import { OutboxDispatcher, type DispatcherLog, type OutboxDispatcherOptions } from "../../../src/infrastructure/mail/outbox-dispatcher";
import type { OutboxRow } from "../../../src/infrastructure/persistence/in-memory/in-memory-database";
import { createInMemoryStores, type InMemoryStores } from "../../../src/infrastructure/persistence/in-memory";

const TOKEN = "Zq9xV3kLmN7pR2sT5uW8yA1bC4dE6fG0hJ3kL6mN9pQ";
const APP_URL = "https://app.example.com";

/** A mail server that is up or down, and remembers what it delivered. */
class SwitchableMailer implements Mailer {
  readonly delivered: RenderedMail[] = [];
  down = false;
  /** What a failing server says; real servers sometimes quote the message back. */
  failure = () => new Error(`421 service unavailable while sending ${this.lastAttempted?.link ?? ""}`);
  delayMs = 0;
  private lastAttempted: RenderedMail | null = null;

  async send(mail: RenderedMail): Promise<void> {
    this.lastAttempted = mail;
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.down) throw Object.assign(this.failure(), { code: "EENVELOPE" });
    this.delivered.push(mail);
  }
}

class RecordingLog implements DispatcherLog {
  readonly lines: string[] = [];
  info(message: string) {
    this.lines.push(`info ${message}`);
  }
  warn(message: string) {
    this.lines.push(`warn ${message}`);
  }
  error(message: string) {
    this.lines.push(`error ${message}`);
  }
}

const verifyMail = (to = "ann@example.com", token = TOKEN): OutgoingMail => ({ to, template: "verify-email", params: { token } });

describe("OutboxDispatcher", () => {
  let clock: ControllableClock;
  let stores: InMemoryStores;
  let mailer: SwitchableMailer;
  let log: RecordingLog;
  let dispatcher: OutboxDispatcher;

  const row = (): OutboxRow => [...stores.db.tables.outbox.values()][0];
  const make = (options: Partial<OutboxDispatcherOptions> = {}) =>
    new OutboxDispatcher({
      queue: stores.outbox,
      mailer,
      renderer: new MailTemplates({ appUrl: APP_URL }),
      clock,
      log,
      ...options,
    });

  beforeEach(() => {
    clock = new ControllableClock();
    stores = createInMemoryStores({ clock });
    mailer = new SwitchableMailer();
    log = new RecordingLog();
    dispatcher = make();
  });

  it("renders and sends a due mail, then marks it sent and erases its token", async () => {
    await stores.outbox.enqueue(verifyMail());
    await expect(dispatcher.tick()).resolves.toEqual({ sent: 1, failed: 0 });
    expect(mailer.delivered).toHaveLength(1);
    expect(mailer.delivered[0].to).toBe("ann@example.com");
    expect(mailer.delivered[0].text).toContain(`${APP_URL}/verify-email?token=${TOKEN}`);
    await expect(stores.outbox.pending()).resolves.toEqual([]);
    expect(row().sentAt).toEqual(clock.now());
    expect(row().mail.params).toEqual({});
    // Sent means sent: it never goes out again.
    clock.advance({ hours: 1 });
    await expect(dispatcher.drain()).resolves.toEqual({ sent: 0, failed: 0 });
    expect(mailer.delivered).toHaveLength(1);
  });

  it("on failure keeps the mail and retries it after a growing, jittered delay, capped at five minutes", async () => {
    mailer.down = true;
    await stores.outbox.enqueue(verifyMail());
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 14; attempt++) {
      const before = clock.now().getTime();
      await expect(dispatcher.tick()).resolves.toEqual({ sent: 0, failed: 1 });
      delays.push(row().nextAttemptAt.getTime() - before);
      // Not due again before its time…
      clock.set(new Date(row().nextAttemptAt.getTime() - 1));
      await expect(dispatcher.tick()).resolves.toEqual({ sent: 0, failed: 0 });
      // …and due right at it.
      clock.set(row().nextAttemptAt);
    }
    const ceilings = delays.map((_, i) => Math.min(300_000, 1000 * 2 ** i));
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(ceilings[i] / 2);
      expect(delay).toBeLessThanOrEqual(ceilings[i]);
    });
    expect(Math.max(...delays)).toBeLessThanOrEqual(300_000);
    expect(delays[13]).toBeGreaterThanOrEqual(150_000);
    expect((await stores.outbox.pending()).map((m) => m.attempts)).toEqual([14]);

    mailer.down = false;
    await expect(dispatcher.tick()).resolves.toEqual({ sent: 1, failed: 0 });
    expect(mailer.delivered).toHaveLength(1);
  });

  it("spreads retries with jitter between half and all of the current ceiling", () => {
    const low = make({ random: () => 0 });
    const high = make({ random: () => 0.999999 });
    expect([1, 2, 3, 4].map((n) => low.retryDelayMs(n))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => high.retryDelayMs(n))).toEqual([1000, 2000, 4000, 8000]);
    expect(high.retryDelayMs(50)).toBe(300_000);
    expect(low.retryDelayMs(1000)).toBe(150_000);
    const custom = make({ random: () => 0.999999, retry: { initialDelayMs: 200, maxDelayMs: 1000 } });
    expect([1, 2, 3, 4, 5].map((n) => custom.retryDelayMs(n))).toEqual([200, 400, 800, 1000, 1000]);
  });

  it("never writes the token or the link to the log or the stored error, even when the server quotes them", async () => {
    mailer.down = true;
    await stores.outbox.enqueue(verifyMail());
    await stores.outbox.enqueue({ to: "bob@example.com", template: "password-reset", params: { token: "short" } });
    mailer.failure = () => new Error(`550 rejected token=short and ${TOKEN} and ${encodeURIComponent(TOKEN)}`);
    await dispatcher.tick();
    clock.advance({ minutes: 10 });
    mailer.failure = () => new Error(`451 try later: ${APP_URL}/verify-email?token=${TOKEN}`);
    await dispatcher.tick();
    mailer.down = false;
    clock.advance({ minutes: 10 });
    await dispatcher.tick();

    const logged = log.lines.join("\n");
    expect(log.lines.filter((l) => l.startsWith("warn"))).toHaveLength(4);
    expect(log.lines.filter((l) => l.startsWith("info"))).toHaveLength(2);
    for (const secret of [TOKEN, "token=short", "/verify-email?", "/reset-password?"]) expect(logged).not.toContain(secret);
    for (const stored of stores.db.tables.outbox.values()) {
      expect(stored.lastError ?? "").not.toContain(TOKEN);
      expect(stored.lastError ?? "").not.toContain("token=short");
    }
    expect(logged).toContain("EENVELOPE");
  });

  it("ends a mail it cannot render as failed at once, and still sends the others", async () => {
    await stores.outbox.enqueue({ to: "ann@example.com", template: "verify-email", params: {} });
    await stores.outbox.enqueue(verifyMail("bob@example.com"));
    await expect(dispatcher.tick()).resolves.toEqual({ sent: 1, failed: 1 });
    expect(mailer.delivered.map((m) => m.to)).toEqual(["bob@example.com"]);
    const broken = [...stores.db.tables.outbox.values()].find((r) => r.mail.to === "ann@example.com")!;
    expect(broken.failedAt).toEqual(clock.now());
    expect(log.lines.some((l) => l.startsWith("error") && l.includes("no token"))).toBe(true);
  });

  describe("permanent and temporary SMTP refusals", () => {
    /** What nodemailer throws for a reply of the server: `responseCode` carries its three digits. */
    const reply = (code: number, text: string) => () => Object.assign(new Error(`Can't send mail - all recipients were rejected: ${code} ${text}`), { responseCode: code });
    const counts = () => {
      const seen: string[] = [];
      return { seen, metrics: { mailSent: (t: string) => seen.push(`sent ${t}`), mailRetried: (t: string) => seen.push(`retried ${t}`), mailFailed: (t: string, r: string) => seen.push(`failed ${t} ${r}`) } };
    };

    it("a 5xx reply (550 5.1.1 recipient rejected) ends the mail as failed at once: never tried again, still visible, counted and logged", async () => {
      const { seen, metrics } = counts();
      dispatcher = make({ metrics });
      mailer.down = true;
      mailer.failure = reply(550, "5.1.1 <nobody@example.com>: Recipient address rejected");
      await stores.outbox.enqueue(verifyMail("nobody@example.com"));
      await expect(dispatcher.tick()).resolves.toEqual({ sent: 0, failed: 1 });
      expect(row().failedAt).toEqual(clock.now());
      expect(row().lastError).toContain("550");
      expect(row().mail.params).toEqual({});
      expect(await stores.outbox.pending()).toEqual([]);
      expect(await stores.outbox.stats(clock.now())).toEqual({ depth: 0, oldestAgeSeconds: 0 });

      // Days later it is still not claimed again, even with the server back.
      mailer.down = false;
      clock.advance({ days: 3 });
      await expect(dispatcher.tick()).resolves.toEqual({ sent: 0, failed: 0 });
      expect(mailer.delivered).toHaveLength(0);
      expect(seen).toEqual(["failed verify-email permanent"]);
      expect(log.lines.filter((l) => l.startsWith("error") && l.includes("failed for good"))).toHaveLength(1);
    });

    it("a 4xx reply or a connection error is retried with the backoff, then given up after the longest retry age", async () => {
      const { seen, metrics } = counts();
      dispatcher = make({ metrics, maxRetryAgeMs: 3 * 86400_000 });
      mailer.down = true;
      mailer.failure = reply(451, "4.7.1 Greylisted, try again later");
      await stores.outbox.enqueue(verifyMail());
      await expect(dispatcher.tick()).resolves.toEqual({ sent: 0, failed: 1 });
      expect(row().failedAt ?? null).toBeNull();
      expect(row().nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
      mailer.failure = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:25"), { code: "ECONNREFUSED" });
      clock.set(row().nextAttemptAt);
      await dispatcher.tick();
      expect(row().failedAt ?? null).toBeNull();
      expect(await stores.outbox.stats(clock.now())).toEqual({ depth: 1, oldestAgeSeconds: expect.any(Number) });

      // Past the longest retry age the next failure ends it.
      clock.set(new Date(row().createdAt.getTime() + 3 * 86400_000));
      await expect(dispatcher.tick()).resolves.toEqual({ sent: 0, failed: 1 });
      expect(row().failedAt).toEqual(clock.now());
      expect(seen).toEqual(["retried verify-email", "retried verify-email", "failed verify-email expired"]);
    });

    it("counts a delivered mail as sent", async () => {
      const { seen, metrics } = counts();
      dispatcher = make({ metrics });
      await stores.outbox.enqueue(verifyMail());
      await dispatcher.tick();
      expect(seen).toEqual(["sent verify-email"]);
    });
  });

  it("sends each mail once even when two dispatchers (two instances) poll the same outbox", async () => {
    for (let i = 0; i < 25; i++) await stores.outbox.enqueue(verifyMail(`user${i}@example.com`));
    mailer.delayMs = 2;
    const other = make({ batchSize: 3 });
    const first = make({ batchSize: 4 });
    await Promise.all([first.drain(), other.drain(), first.drain()]);
    expect(mailer.delivered.map((m) => m.to).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `user${i}@example.com`).sort());
  });

  it("claims at most one batch per tick; drain empties the queue", async () => {
    for (let i = 0; i < 7; i++) await stores.outbox.enqueue(verifyMail(`user${i}@example.com`));
    const small = make({ batchSize: 3 });
    await expect(small.tick()).resolves.toEqual({ sent: 3, failed: 0 });
    await expect(small.drain()).resolves.toEqual({ sent: 4, failed: 0 });
    await expect(stores.outbox.pending()).resolves.toEqual([]);
  });

  it("start() delivers in the background and stop() ends polling after the batch in flight", async () => {
    const live = make({ pollIntervalMs: 10 });
    await stores.outbox.enqueue(verifyMail("ann@example.com"));
    live.start();
    live.start(); // idempotent
    await waitUntil(() => mailer.delivered.length === 1);

    mailer.delayMs = 50;
    await stores.outbox.enqueue(verifyMail("bob@example.com"));
    await waitUntil(() => row2Claimed(stores));
    await live.stop();
    // The send that was running when stop() was called has finished and been recorded…
    expect(mailer.delivered.map((m) => m.to)).toEqual(["ann@example.com", "bob@example.com"]);
    await expect(stores.outbox.pending()).resolves.toEqual([]);
    // …and nothing is picked up any more.
    await stores.outbox.enqueue(verifyMail("carl@example.com"));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(mailer.delivered).toHaveLength(2);
  });

  it("logs a failing queue instead of crashing the process", async () => {
    const broken = make({
      pollIntervalMs: 10,
      queue: { ...stores.outbox, claimDue: async () => Promise.reject(new Error("connection refused")) } as never,
    });
    broken.start();
    await waitUntil(() => log.lines.some((l) => l.includes("polling failed: connection refused")));
    await broken.stop();
  });
});

function row2Claimed(stores: InMemoryStores): boolean {
  return [...stores.db.tables.outbox.values()].some((r) => r.mail.to === "bob@example.com" && r.leaseUntil !== null);
}

async function waitUntil(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
