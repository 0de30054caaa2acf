import type { Metadata } from "next";
import Link from "next/link";
import { ResendVerificationForm } from "../../_components/resend-verification-form";
import { SubmitButton } from "../../_components/submit-button";
import { formatDateTime } from "../../../../src/interfaces/web/shared/format";
import { linkToken } from "../../../../src/interfaces/web/shared/link-token-store";
import { currentViewer } from "../../../../src/interfaces/web/shared/session";
import { acceptInvitationAction, declineInvitationAction } from "../../../../src/interfaces/web/teams/actions";
import { invitationOf } from "../../../../src/interfaces/web/teams/page-data";

// As on the other link pages, the proxy already moved the token out of the URL into a cookie scoped
// to /invite (src/interfaces/web/shared/link-token.ts). Opening the page never uses the invitation:
// only the Accept or Decline button's POST does.
export const metadata: Metadata = { title: "Team invitation" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const REFUSALS: Record<string, string> = {
  EMAIL_NOT_VERIFIED: "Verify your e-mail address first, then accept the invitation.",
  INVITATION_EMAIL_MISMATCH: "This invitation is for another e-mail address. Sign in with that address to accept it.",
  ALREADY_MEMBER: "You are already a member of this team.",
  INVALID_TOKEN: "This invitation is invalid, was already used or has expired.",
};

export default async function InvitePage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const refused = typeof params.refused === "string" && REFUSALS[params.refused] ? REFUSALS[params.refused] : null;
  const token = await linkToken("invite", params.token);
  const invitation = token ? await invitationOf(token) : null;
  if (!token || !invitation) {
    return (
      <>
        <h1>This invitation cannot be used</h1>
        {refused ? <div className="alert alert-error" role="alert"><p>{refused}</p></div> : null}
        <p>The link is invalid, was already used, was revoked or has expired. Ask the person who invited you to send a new one.</p>
        <Link className="button button-primary" href="/dashboard/teams">
          Go to your teams
        </Link>
      </>
    );
  }

  const viewer = await currentViewer();
  const who = invitation.invitedBy ? `${invitation.invitedBy} invited you` : "You were invited";
  const summary = (
    <>
      <h1>Join {invitation.teamName}</h1>
      <p className="lead">
        {who} to join the team <strong>{invitation.teamName}</strong> as <strong>{invitation.role}</strong>.
      </p>
      <p>
        The invitation is for <strong>{invitation.email}</strong> and works until {formatDateTime(invitation.expiresAt)}.
      </p>
      {refused ? (
        <div className="alert alert-error" role="alert">
          <p>{refused}</p>
        </div>
      ) : null}
    </>
  );

  if (!viewer) {
    return (
      <>
        {summary}
        <p>To accept, sign in with {invitation.email}, or create an account with that address. You will come back here.</p>
        <div className="inline-form">
          <Link className="button button-primary" href="/sign-up?next=%2Finvite">
            Create an account
          </Link>
          <Link className="button button-secondary" href="/sign-in?next=%2Finvite">
            Sign in
          </Link>
        </div>
      </>
    );
  }
  if (viewer.user.email !== invitation.email) {
    return (
      <>
        {summary}
        <div className="alert alert-warning" data-code="INVITATION_EMAIL_MISMATCH">
          <p>
            You are signed in as <strong>{viewer.user.email}</strong>, but this invitation is for <strong>{invitation.email}</strong>.
            Sign out, then sign in (or create an account) with {invitation.email} to accept it.
          </p>
        </div>
      </>
    );
  }
  if (!viewer.user.emailVerified) {
    return (
      <>
        {summary}
        <div className="alert alert-warning" data-code="EMAIL_NOT_VERIFIED">
          <p>
            <strong>Verify your e-mail address to accept.</strong> Open the link we sent to {viewer.user.email}, then come back
            to this page or open the invitation link again.
          </p>
          <ResendVerificationForm />
        </div>
      </>
    );
  }
  return (
    <>
      {summary}
      <div className="inline-form">
        <form action={acceptInvitationAction}>
          <input type="hidden" name="token" value={token} />
          <SubmitButton pendingLabel="Joining…">Accept and join</SubmitButton>
        </form>
        <form action={declineInvitationAction}>
          <input type="hidden" name="token" value={token} />
          <SubmitButton variant="secondary" pendingLabel="Declining…">
            Decline
          </SubmitButton>
        </form>
      </div>
    </>
  );
}
