/**
 * The built product for the browser suites: the HTTP harness's `next start` on a fresh, migrated
 * PostgreSQL database with an in-process SMTP capture (test/support/next-server.ts), plus what a
 * browser journey needs from it: the mail a person would receive and the link in it.
 *
 * The build is the harness's: made once per Jest run by its globalSetup and frozen while tests run.
 * NEXT_DIST_DIR chooses its directory, e.g. `NEXT_DIST_DIR=.next-e2e npx jest test/e2e` to keep a
 * browser run's build apart from other suites working in the same tree.
 */
import { query, startNextServer } from "./next-server";
import type { CapturedMail, SmtpCapture } from "./smtp-capture";

export interface E2eServerOptions {
  /** Product settings for this server (e.g. a short VERIFY_TOKEN_TTL); `undefined` removes a variable. */
  readonly env?: Record<string, string | undefined>;
  /** APP_URL's host, e.g. `localhost` for WebAuthn (an IP address is no RP ID). */
  readonly appHost?: string;
}

export interface E2eServer {
  readonly url: string;
  readonly databaseUrl: string;
  readonly smtp: SmtpCapture;
  output(): string;
  /** The newest mail to `to` whose subject matches, among those captured from index `after` on, waiting for it. */
  mailTo(to: string, subject: RegExp, after?: number): Promise<CapturedMail>;
  /** The first link in a mail's text that points at `path` on this server. */
  linkIn(mail: CapturedMail, path: string): string;
  /** Rows from the server's database, for checks a person could not make from the page. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/**
 * Rate limits stay on, scaled up ten times, because every browser shares one client address
 * (127.0.0.1); a suite about the limits sets its own.
 */
export async function startE2eServer(options: E2eServerOptions = {}): Promise<E2eServer> {
  const server = await startNextServer({ env: { RATE_LIMIT_SCALE: "10", ...options.env }, appHost: options.appHost });
  const { smtp, url } = server;
  return {
    url,
    databaseUrl: server.databaseUrl,
    smtp,
    output: () => server.output(),
    async mailTo(to, subject, after = 0) {
      const matches = (mail: CapturedMail, index: number) =>
        index >= after && mail.to.some((address) => address.toLowerCase() === to.toLowerCase()) && subject.test(mail.subject);
      await smtp.waitFor((mail) => matches(mail, smtp.messages.indexOf(mail)), 15_000);
      const all = smtp.messages.filter(matches);
      return all[all.length - 1]!;
    },
    linkIn(mail, path) {
      const links = mail.text.match(/https?:\/\/[^\s<>"')]+/g) ?? [];
      const link = links.find((candidate) => candidate.startsWith(`${url}${path}`));
      if (!link) throw new Error(`no ${path} link in the mail "${mail.subject}":\n${mail.text}`);
      return link.replace(/[.,]+$/, "");
    },
    query: (text, params) => query(server.databaseUrl, text, params),
    stop: () => server.stop(),
  };
}
