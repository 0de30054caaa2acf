import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "../../_components/reset-password-form";
import { linkToken } from "../../../../src/interfaces/web/shared/link-token-store";
import { passwordRules } from "../../../../src/interfaces/web/identity/page-data";

// No `referrer: "no-referrer"` here: the proxy already took the token out of the URL (see
// src/interfaces/web/shared/link-token.ts), and that policy would make the form's POST carry `Origin: null`.
export const metadata: Metadata = { title: "Choose a new password" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = await linkToken("reset-password", params.token);
  if (!token) {
    return (
      <>
        <h1>Choose a new password</h1>
        <div className="alert alert-error" role="alert">
          <p>To choose a new password, open the link from the e-mail again. If it has expired or was used already, ask for a new one.</p>
        </div>
        <Link className="button button-primary" href="/forgot-password">
          Ask for a new reset link
        </Link>
      </>
    );
  }
  const rules = await passwordRules();
  return (
    <>
      <h1>Choose a new password</h1>
      <p className="lead">After this, every device signed in to your account is signed out.</p>
      <ResetPasswordForm token={token} minLength={rules.minLength} />
    </>
  );
}
