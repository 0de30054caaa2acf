import Link from "next/link";
import { SignUpForm } from "../../_components/sign-up-form";
import { passwordRules } from "../../../../src/interfaces/web/identity/page-data";
import { AFTER_SIGN_IN, safeNextPath } from "../../../../src/interfaces/web/shared/safe-next-path";

export const metadata = { title: "Create an account" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  const rules = await passwordRules();
  const signInHref = next === AFTER_SIGN_IN ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`;
  return (
    <>
      <h1>Create an account</h1>
      <SignUpForm next={next} minLength={rules.minLength} maxLength={rules.maxLength} />
      <p className="card-footer">
        Already have an account? <Link href={signInHref}>Sign in</Link>
      </p>
    </>
  );
}
