import Link from "next/link";
import { NoticeBanner } from "../_components/notice-banner";
import { VerificationBanner } from "./_verification-banner";
import { describeDuration, formatDateTime, formatRelative } from "../../../src/interfaces/web/shared/format";
import { noticeFor } from "../../../src/interfaces/web/shared/notices";
import { sessionLimits } from "../../../src/interfaces/web/sessions/page-data";
import { requireViewer } from "../../../src/interfaces/web/shared/session";

export const metadata = { title: "Your account" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const { user, session } = await requireViewer("/dashboard");
  const params = await searchParams;
  const limits = await sessionLimits();
  return (
    <>
      <h1>Your account</h1>
      <NoticeBanner notice={noticeFor(params.notice)} />
      {user.emailVerified ? null : <VerificationBanner email={user.email} />}
      <section className="panel" aria-labelledby="who-title">
        <h2 id="who-title">Signed in</h2>
        <dl className="definition">
          <dt>E-mail</dt>
          <dd>
            <span data-testid="signed-in-email">{user.email}</span>
            {user.emailVerified ? <span className="badge">Verified</span> : <span className="badge badge-warning">Not verified</span>}
          </dd>
          <dt>Member since</dt>
          <dd>{formatDateTime(user.createdAt)}</dd>
          <dt>This sign-in</dt>
          <dd>
            {formatDateTime(session.authenticatedAt)} ({formatRelative(session.authenticatedAt)})
          </dd>
          <dt>Session ends</dt>
          <dd>
            {formatDateTime(session.expiresAt)} at the latest, or after {describeDuration(limits.idleTimeoutSeconds)} without use
          </dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="next-title">
        <h2 id="next-title">What you can do here</h2>
        <ul>
          <li>
            <Link href="/dashboard/settings">Security settings</Link>: see where you are signed in, sign out other devices, change
            your password or delete your account.
          </li>
          <li>
            <Link href="/dashboard/api-keys">API keys</Link>: create keys for scripts and services.
          </li>
        </ul>
      </section>
    </>
  );
}
