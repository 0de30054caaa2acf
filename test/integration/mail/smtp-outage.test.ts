import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import { MailTemplates } from "../../../src/infrastructure/mail/mail-templates";
import { OutboxDispatcher, type DispatcherLog } from "../../../src/infrastructure/mail/outbox-dispatcher";
import { SmtpMailer } from "../../../src/infrastructure/mail/smtp-mailer";
import { createInMemoryStores } from "../../../src/infrastructure/persistence/in-memory";
import { SmtpCapture } from "../../support/smtp-capture";

const APP_URL = "https://app.example.com";
const TOKEN = "kV2r9XbQ7mN4pL8sT1wY6zA3cD5fG0hJ2kM7nP9qR4s";

describe("mail delivery through an SMTP outage", () => {
  const capture = new SmtpCapture();
  afterAll(() => capture.stop());

  it("keeps the mail while the server is down, backs off, and delivers it exactly once when it is back", async () => {
    const port = await capture.start();
    await capture.stop(); // the outage starts before the mail is even written

    const clock = new ControllableClock();
    const { outbox, uow } = createInMemoryStores({ clock });
    const lines: string[] = [];
    const log: DispatcherLog = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const mailer = new SmtpMailer({
      url: `smtp://127.0.0.1:${port}`,
      from: "Acme <no-reply@acme.example>",
      timeouts: { connectionMs: 1000, greetingMs: 1000, socketMs: 2000 },
    });
    const dispatcher = new OutboxDispatcher({ queue: outbox, mailer, renderer: new MailTemplates({ appUrl: APP_URL }), clock, log });

    // Enqueued as the core does it: inside the unit of work of the sign-up.
    await uow.run(async (stores) => {
      await stores.outbox.enqueue({ to: "ann@example.com", template: "verify-email", params: { token: TOKEN } });
      return { ok: true, value: undefined };
    });

    // While down: every attempt fails, the mail stays queued, and the waits grow.
    await expect(dispatcher.tick()).resolves.toEqual({ sent: 0, failed: 1 });
    const waits: number[] = [];
    for (let attempt = 2; attempt <= 5; attempt++) {
      // Nothing is due until the backoff has passed…
      await expect(dispatcher.tick()).resolves.toEqual({ sent: 0, failed: 0 });
      // …then it is tried (and fails) again.
      let wait = 0;
      while ((await dispatcher.tick()).failed === 0) {
        clock.advance(0.25);
        wait += 250;
        if (wait > 60_000) throw new Error("the mail never became due again");
      }
      waits.push(wait);
      const [queued] = await outbox.pending();
      expect(queued.attempts).toBe(attempt);
    }
    expect(waits[3]).toBeGreaterThan(waits[0]);
    expect(waits[0]).toBeLessThanOrEqual(1250);
    expect(capture.messages).toHaveLength(0);
    expect(await outbox.pending()).toHaveLength(1);

    // The server comes back on the same port.
    await capture.start(port);
    clock.advance({ minutes: 5 });
    await expect(dispatcher.drain()).resolves.toEqual({ sent: 1, failed: 0 });

    const received = await capture.waitFor((m) => m.to.includes("ann@example.com"));
    expect(received.from).toBe("no-reply@acme.example");
    const links = received.text.match(/https?:\/\/\S+/g) ?? [];
    expect(links).toHaveLength(1);
    const link = new URL(links[0]!);
    expect(link.origin + link.pathname).toBe(`${APP_URL}/verify-email`);
    expect(link.searchParams.get("token")).toBe(TOKEN);
    expect(received.html).toContain(`href="${APP_URL}/verify-email?token=${TOKEN}"`);

    // Exactly once: later polls find nothing, even long after.
    clock.advance({ hours: 2 });
    await expect(dispatcher.drain()).resolves.toEqual({ sent: 0, failed: 0 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(capture.messages).toHaveLength(1);
    expect(await outbox.pending()).toEqual([]);

    // The operator saw the outage in the log, and never the token or the link.
    expect(lines.filter((l) => l.includes("failed"))).toHaveLength(5);
    expect(lines.join("\n")).not.toContain(TOKEN);
    expect(lines.join("\n")).not.toContain("/verify-email");
    mailer.close();
  });
});
