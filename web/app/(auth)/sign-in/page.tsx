import Link from "next/link";
import { PasskeySignIn } from "../../_components/passkey-buttons";
import { SignInForm } from "../../_components/sign-in-form";
import { noticeFor } from "../../../../src/interfaces/web/shared/notices";
import { AFTER_SIGN_IN, safeNextPath } from "../../../../src/interfaces/web/shared/safe-next-path";

export const metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  const signUpHref = next === AFTER_SIGN_IN ? "/sign-up" : `/sign-up?next=${encodeURIComponent(next)}`;
  return (
    <>
      <h1>Sign in</h1>
      <SignInForm next={next} notice={noticeFor(params.notice)} />
      <PasskeySignIn next={next} />
      <p className="card-footer">
        New here? <Link href={signUpHref}>Create an account</Link>
      </p>
    </>
  );
}
