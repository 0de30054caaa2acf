import Link from "next/link";
import type { Notice } from "../../../src/interfaces/web/shared/notices";
import { AFTER_SIGN_IN } from "../../../src/interfaces/web/shared/safe-next-path";
import { PasskeySignIn } from "./passkey-buttons";
import { SignInForm } from "./sign-in-form";

/** The sign-in card: rendered per request for `?next=`/`?notice=`, and prerendered for the plain page. */
export function SignInPageBody({ next = AFTER_SIGN_IN, notice = null }: { next?: string; notice?: Notice | null }) {
  const signUpHref = next === AFTER_SIGN_IN ? "/sign-up" : `/sign-up?next=${encodeURIComponent(next)}`;
  return (
    <>
      <h1>Sign in</h1>
      <SignInForm next={next} notice={notice} />
      <PasskeySignIn next={next} />
      <p className="card-footer">
        New here? <Link href={signUpHref}>Create an account</Link>
      </p>
    </>
  );
}
