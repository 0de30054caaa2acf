/** A mail ready to go: addressed, with subject and both bodies. */
export interface RenderedMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /**
   * The one link the reader is asked to follow, if any. Carries the token: only the development
   * mailbox shows it; delivery never logs it.
   */
  readonly link?: string;
}

/** Delivers rendered mail (SMTP in production, a local mailbox in development). Throws when it could not. */
export interface Mailer {
  send(mail: RenderedMail): Promise<void>;
}
