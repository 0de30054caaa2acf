import nodemailer, { type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { Mailer, RenderedMail } from "./mailer";

export interface SmtpTimeouts {
  /** Waiting for the TCP (or TLS) connection. */
  readonly connectionMs?: number;
  /** Waiting for the server's greeting once connected. */
  readonly greetingMs?: number;
  /** Any silence during the conversation. */
  readonly socketMs?: number;
}

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://…` (TLS from the start). */
  readonly url: string;
  /** The sender, e.g. `Acme <no-reply@acme.example>`. */
  readonly from: string;
  readonly timeouts?: SmtpTimeouts;
  /** Extra nodemailer transport options (e.g. `tls`, `requireTLS`), merged over the URL. */
  readonly transport?: Omit<SMTPTransport.Options, "url">;
}

/**
 * Nodemailer's defaults wait minutes for a dead server; a stuck send would hold its outbox lease
 * and the dispatcher. These bounds fail fast and let the outbox retry.
 */
export const DEFAULT_SMTP_TIMEOUTS: Required<SmtpTimeouts> = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 };

/** Sends mail through one SMTP server. A failure throws, and the outbox tries again later. */
export class SmtpMailer implements Mailer {
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;
  private readonly from: string;

  constructor(options: SmtpMailerOptions) {
    const protocol = safeProtocol(options.url);
    if (protocol !== "smtp:" && protocol !== "smtps:") {
      // The URL may hold a password: never echo it.
      throw new TypeError("SMTP URL must start with smtp:// or smtps://");
    }
    const timeouts = { ...DEFAULT_SMTP_TIMEOUTS, ...options.timeouts };
    this.from = options.from;
    this.transporter = nodemailer.createTransport({
      url: options.url,
      connectionTimeout: timeouts.connectionMs,
      greetingTimeout: timeouts.greetingMs,
      socketTimeout: timeouts.socketMs,
      dnsTimeout: timeouts.connectionMs,
      // Our mails have no attachments: never let message content read files or fetch URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
      ...options.transport,
    });
  }

  async send(mail: RenderedMail): Promise<void> {
    await this.transporter.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // RFC 3834: ask autoresponders not to answer a machine.
      headers: { "Auto-Submitted": "auto-generated" },
    });
  }

  /** Closes idle connections (at shutdown). */
  close(): void {
    this.transporter.close();
  }
}

function safeProtocol(url: string): string | null {
  try {
    return new URL(url).protocol;
  } catch {
    return null;
  }
}
