import type { Metadata } from "next";
import Link from "next/link";
import { ConfirmEmailChangeForm } from "../../_components/confirm-email-change-form";
import { linkToken } from "../../../../src/interfaces/web/shared/link-token-store";

// The proxy has already moved the token out of the URL into a cookie scoped to this path (see
// src/interfaces/web/shared/link-token.ts).
export const metadata: Metadata = { title: "Confirm your new e-mail address" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The link mailed to a new address: a button confirms the change with a POST; opening it changes nothing. */
export default async function ConfirmEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = await linkToken("confirm-email", params.token);
  if (token) {
    return (
      <>
        <h1>Confirm your new e-mail address</h1>
        <p className="lead">Press the button to make this address the one your account uses to sign in and receive mail.</p>
        <ConfirmEmailChangeForm token={token} />
      </>
    );
  }
  return (
    <>
      <h1>Confirm your new e-mail address</h1>
      <p>Open the link in the e-mail we sent to your new address. If it has expired, ask for the change again in your settings.</p>
      <Link className="button button-primary" href="/dashboard/settings">
        Your settings
      </Link>
    </>
  );
}
