import Link from "next/link";
import { SecondStepForm } from "../../../_components/second-step-form";
import { hasPendingSignIn } from "../../../../../src/interfaces/web/mfa/page-data";
import { safeNextPath } from "../../../../../src/interfaces/web/shared/safe-next-path";

export const metadata = { title: "Two-step verification" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SecondStepPage({ searchParams }: { searchParams: SearchParams }) {
  const next = safeNextPath((await searchParams).next);
  const pending = await hasPendingSignIn();
  return (
    <>
      <h1>Two-step verification</h1>
      {pending ? (
        <>
          <p className="lead">Your password was right. Enter the code your authenticator app shows now to finish signing in.</p>
          <SecondStepForm next={next} />
        </>
      ) : (
        <div className="alert alert-error" role="alert" data-code="MFA_CHALLENGE_INVALID">
          <p>This sign-in expired or was already used.</p>
        </div>
      )}
      <p className="card-footer">
        <Link href={`/sign-in?next=${encodeURIComponent(next)}`}>Start again with your e-mail and password</Link>
      </p>
    </>
  );
}
