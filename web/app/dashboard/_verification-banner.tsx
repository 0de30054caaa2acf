import { ResendVerificationForm } from "../_components/resend-verification-form";

/** Shown on every dashboard page while the address is unverified. */
export function VerificationBanner({ email, reason }: { email: string; reason?: string }) {
  return (
    <section className="alert alert-warning" aria-labelledby="verify-banner-title">
      <h2 id="verify-banner-title">Please verify your e-mail address</h2>
      <p>
        We sent a link to <strong>{email}</strong>. Open it to confirm the address is yours.
        {reason ? ` ${reason}` : ""}
      </p>
      <p>No e-mail? Check your spam folder, or send a new link:</p>
      <ResendVerificationForm />
    </section>
  );
}
