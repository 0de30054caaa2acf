export type MailTemplate =
  | "verify-email"
  | "password-reset"
  | "password-changed"
  | "team-invitation"
  | "mfa-enabled"
  | "mfa-disabled"
  | "recovery-codes-regenerated"
  | "confirm-email-change"
  | "email-change-requested"
  | "passkey-added"
  | "passkey-removed";

/**
 * An e-mail to send, as the core sees it: who, which template and its parameters. Rendering (links
 * from APP_URL, text and HTML) and delivery belong to the mail adapter. `params.token` is a secret:
 * adapters must not keep it readable at rest or print it to logs in production.
 */
export interface OutgoingMail {
  readonly to: string;
  readonly template: MailTemplate;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Transactional outbox: an enqueued mail is stored in the same unit of work as the change that causes
 * it and delivered later, with retries, so no mail is lost while SMTP is down.
 */
export interface Outbox {
  enqueue(mail: OutgoingMail): Promise<void>;
}
