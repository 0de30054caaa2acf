import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  readonly from: string;
  /** Envelope recipients. */
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: ReadonlyMap<string, unknown>;
}

/**
 * An SMTP server inside the test process that keeps every message it receives. It can be stopped
 * and started again on the same port to play an outage.
 */
export class SmtpCapture {
  readonly messages: CapturedMail[] = [];
  /** Credentials clients signed in with (any are accepted; signing in is optional). */
  readonly logins: { username: string; password: string }[] = [];
  private server: SMTPServer | null = null;
  private currentPort = 0;
  private waiters: Array<() => void> = [];

  get port(): number {
    return this.currentPort;
  }

  /** `smtp://127.0.0.1:<port>` of the current (or last) port. */
  get url(): string {
    return `smtp://127.0.0.1:${this.currentPort}`;
  }

  /** Listens on `port` (a free one when omitted or 0) and answers its port. */
  async start(port = 0): Promise<number> {
    if (this.server) throw new Error("the capture server is already running");
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) => {
        this.logins.push({ username: auth.username ?? "", password: auth.password ?? "" });
        callback(null, { user: auth.username });
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            this.messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
              headers: parsed.headers,
            });
            for (const wake of this.waiters.splice(0)) wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.server = server;
    this.currentPort = (server.server.address() as AddressInfo).port;
    return this.currentPort;
  }

  /** Stops listening and drops open connections; the port stays remembered for a restart. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The first captured message matching `predicate`, waiting up to `timeoutMs` for it. */
  async waitFor(predicate: (mail: CapturedMail) => boolean = () => true, timeoutMs = 5000): Promise<CapturedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching mail within ${timeoutMs} ms (${this.messages.length} captured)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
