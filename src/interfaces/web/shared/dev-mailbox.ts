import { devMailbox } from "./use-cases";

/** A kept development e-mail as the mailbox page shows it (text only: the HTML body is never rendered). */
export interface MailView {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly link: string | null;
  readonly sentAt: Date;
}

/**
 * The development mailbox's mails, newest first; null when there is none (production, or mail sent
 * over SMTP), and the page then does not exist.
 */
export async function devMailboxMails(options: { to?: string; limit?: number } = {}): Promise<MailView[] | null> {
  const mailbox = await devMailbox();
  if (!mailbox) return null;
  const to = options.to?.trim().toLowerCase() || undefined;
  const mails = await mailbox.list({ limit: options.limit ?? 50, to });
  return mails.map((mail) => ({
    id: mail.id,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    link: mail.link ?? null,
    sentAt: new Date(mail.sentAt),
  }));
}
