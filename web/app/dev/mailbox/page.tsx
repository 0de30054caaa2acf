import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { devMailboxMails } from "../../../../src/interfaces/web/shared/dev-mailbox";
import { formatDateTime, formatRelative } from "../../../../src/interfaces/web/shared/format";

// The links below carry live tokens: never hand them on as a Referer.
export const metadata: Metadata = { title: "Development mailbox", referrer: "no-referrer" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Mail the app would have sent, for development without an SMTP server. It does not exist in
 * production or when SMTP_URL is set (the mailbox is then null and this answers 404).
 */
export default async function DevMailboxPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const to = typeof params.to === "string" ? params.to.slice(0, 320) : undefined;
  const mails = await devMailboxMails({ to });
  if (mails === null) notFound();
  return (
    <main id="main" className="app-main">
      <h1>Development mailbox</h1>
      <div className="alert alert-warning">
        <p>
          Only in development: these e-mails were kept here instead of being sent. The links in them are real and work once.
        </p>
      </div>
      <form method="get" className="row" role="search" aria-label="Filter by recipient">
        <div className="field">
          <label htmlFor="to">Recipient</label>
          <input id="to" name="to" type="email" defaultValue={to} autoComplete="off" />
        </div>
        <button type="submit" className="button button-secondary">
          Filter
        </button>
        <Link href="/dev/mailbox">Show all / refresh</Link>
        <Link href="/">Back to the app</Link>
      </form>
      <section className="panel" aria-labelledby="mails-title">
        <h2 id="mails-title">{mails.length === 0 ? "No e-mails yet" : `${mails.length} e-mail${mails.length === 1 ? "" : "s"}, newest first`}</h2>
        {mails.map((mail) => (
          <article key={mail.id} className="mail" aria-labelledby={`mail-${mail.id}`} data-testid="mail">
            <h3 id={`mail-${mail.id}`}>{mail.subject}</h3>
            <p className="item-meta">
              To <strong>{mail.to}</strong> · <time dateTime={mail.sentAt.toISOString()}>{formatDateTime(mail.sentAt)}</time> (
              {formatRelative(mail.sentAt)})
            </p>
            {mail.link ? (
              <p>
                <a href={mail.link} rel="noreferrer" data-testid="mail-link" className="mono">
                  {mail.link}
                </a>
              </p>
            ) : null}
            <details>
              <summary>Show the text of this e-mail</summary>
              <pre>{mail.text}</pre>
            </details>
          </article>
        ))}
      </section>
    </main>
  );
}
