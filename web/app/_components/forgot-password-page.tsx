import Link from "next/link";
import { ForgotPasswordForm } from "./forgot-password-form";

/** The reset-request card: rendered per request for form posts, and prerendered for the plain page. */
export function ForgotPasswordPageBody() {
  return (
    <>
      <h1>Reset your password</h1>
      <p className="lead">Enter the e-mail address of your account. If it exists, we will send it a link to choose a new password.</p>
      <ForgotPasswordForm />
      <p className="card-footer">
        Remembered it? <Link href="/sign-in">Sign in</Link>
      </p>
    </>
  );
}
