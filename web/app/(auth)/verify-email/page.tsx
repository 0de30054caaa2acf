import type { Metadata } from "next";
import Link from "next/link";
import { ResendVerificationForm } from "../../_components/resend-verification-form";
import { VerifyEmailForm } from "../../_components/verify-email-form";
import { linkToken } from "../../../../src/interfaces/web/shared/link-token-store";
import { currentViewer } from "../../../../src/interfaces/web/shared/session";

// No `referrer: "no-referrer"` here: the proxy already took the token out of the URL (see
// src/interfaces/web/shared/link-token.ts), and that policy would make the button's POST carry `Origin: null`.
export const metadata: Metadata = { title: "Verify your e-mail address" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Opening the e-mailed link shows a button and nothing else happens: mail scanners and link
 * previews fetch links on their own, and a GET must not spend the token. The POST of the button does.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = await linkToken("verify-email", params.token);
  if (token) {
    return (
      <>
        <h1>Confirm your e-mail address</h1>
        <p className="lead">Press the button to confirm that this address belongs to you.</p>
        <VerifyEmailForm token={token} />
      </>
    );
  }

  const viewer = await currentViewer();
  if (viewer && viewer.user.emailVerified) {
    return (
      <>
        <h1>Your e-mail address is verified</h1>
        <p>
          <strong>{viewer.user.email}</strong> is confirmed. There is nothing more to do.
        </p>
        <Link className="button button-primary" href="/dashboard">
          Go to your account
        </Link>
      </>
    );
  }
  if (viewer) {
    return (
      <>
        <h1>Check your inbox</h1>
        <p>
          We sent a link to <strong>{viewer.user.email}</strong>. Open it to verify your address. The link works for a limited
          time and only once.
        </p>
        <p>No e-mail? Check your spam folder, or send a new link:</p>
        <ResendVerificationForm variant="primary" />
        <p className="card-footer">
          <Link href="/dashboard">Back to your account</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Verify your e-mail address</h1>
      <p>Open the link in the e-mail we sent you. If the link has expired, sign in and ask for a new one.</p>
      <Link className="button button-primary" href="/sign-in?next=%2Fverify-email">
        Sign in
      </Link>
    </>
  );
}
