import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { SmtpMailer } from "../../../src/infrastructure/mail/smtp-mailer";
import { SmtpCapture } from "../../support/smtp-capture";

const mail = {
  to: "ann@example.com",
  subject: "Confirm your e-mail address",
  text: "Confirm: https://app.example.com/verify-email?token=abc\n",
  html: '<p><a href="https://app.example.com/verify-email?token=abc">Confirm</a></p>',
  link: "https://app.example.com/verify-email?token=abc",
};

/** A TCP server that accepts connections and then says nothing (or only the greeting): a hung SMTP server. */
async function silentServer(greet = false): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    if (greet) socket.write("220 hung.example ESMTP\r\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("SmtpMailer", () => {
  const capture = new SmtpCapture();
  beforeAll(() => capture.start());
  afterAll(() => capture.stop());

  it("delivers subject, text and HTML from MAIL_FROM to the recipient", async () => {
    const mailer = new SmtpMailer({ url: capture.url, from: "Acme <no-reply@acme.example>" });
    await mailer.send(mail);
    const received = await capture.waitFor((m) => m.to.includes("ann@example.com"));
    expect(received.from).toBe("no-reply@acme.example");
    expect(received.subject).toBe(mail.subject);
    expect(received.text.trim()).toBe(mail.text.trim());
    expect(received.html).toContain('href="https://app.example.com/verify-email?token=abc"');
    expect(received.headers.get("auto-submitted")).toBe("auto-generated");
    mailer.close();
  });

  it("authenticates with the credentials of the URL", async () => {
    const authCapture = new SmtpCapture();
    const port = await authCapture.start();
    try {
      const mailer = new SmtpMailer({ url: `smtp://mailer:p%40ss@127.0.0.1:${port}`, from: "no-reply@acme.example" });
      await mailer.send({ ...mail, to: "bob@example.com" });
      await expect(authCapture.waitFor((m) => m.to.includes("bob@example.com"))).resolves.toBeDefined();
      expect(authCapture.logins).toEqual([{ username: "mailer", password: "p@ss" }]);
    } finally {
      await authCapture.stop();
    }
  });

  it("fails fast when nothing listens", async () => {
    const gone = new SmtpCapture();
    const port = await gone.start();
    await gone.stop();
    const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: "no-reply@acme.example" });
    await expect(mailer.send(mail)).rejects.toThrow();
  });

  it("gives up on a server that accepts but never greets, within the greeting timeout", async () => {
    const hung = await silentServer(false);
    try {
      const mailer = new SmtpMailer({
        url: `smtp://127.0.0.1:${hung.port}`,
        from: "no-reply@acme.example",
        timeouts: { greetingMs: 300, socketMs: 300 },
      });
      const start = Date.now();
      await expect(mailer.send(mail)).rejects.toThrow();
      expect(Date.now() - start).toBeLessThan(3000);
    } finally {
      await hung.close();
    }
  });

  it("gives up on a server that greets and then hangs, within the socket timeout", async () => {
    const hung = await silentServer(true);
    try {
      const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${hung.port}`, from: "no-reply@acme.example", timeouts: { socketMs: 300 } });
      const start = Date.now();
      await expect(mailer.send(mail)).rejects.toThrow();
      expect(Date.now() - start).toBeLessThan(3000);
    } finally {
      await hung.close();
    }
  });

  it("refuses a URL that is not smtp:// or smtps://, without echoing it (it may hold a password)", () => {
    for (const url of ["http://user:hunter2@mail.example", "mail.example:25", "", "smtp//x"]) {
      let message = "";
      try {
        new SmtpMailer({ url, from: "no-reply@acme.example" });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/smtp:\/\/ or smtps:\/\//);
      expect(message).not.toContain("hunter2");
    }
    expect(() => new SmtpMailer({ url: "smtps://u:p@mail.example:465", from: "a@b.co" })).not.toThrow();
  });
});
