import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "../../_components/reset-password-form";
import { passwordRules } from "../../../../src/interfaces/web/page-data";

// The URL carries a one-time token: never send it on as a Referer (the header says so too).
export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  if (!token || token.length > 512) {
    return (
      <>
        <h1>Choose a new password</h1>
        <div className="alert alert-error" role="alert">
          <p>This reset link is incomplete. Open the link from the e-mail again, or ask for a new one.</p>
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
