import { setUpTotpAction } from "../../../src/interfaces/web/mfa/actions";
import { formatDateTime } from "../../../src/interfaces/web/shared/format";
import { EnableTotpForm } from "./enable-totp-form";
import { SubmitButton } from "./submit-button";
import { DisableTotpForm, RegenerateRecoveryCodesForm } from "./totp-on-forms";

interface Status {
  readonly totp: "off" | "pending" | "on";
  readonly enabledAt: Date | null;
  readonly recoveryCodesLeft: number;
  readonly pending: { secret: string; qrDataUrl: string } | null;
}

function StatusLine({ status }: { status: Status }) {
  if (status.totp === "on") {
    return (
      <p className="lead">
        <strong>On</strong> since {formatDateTime(status.enabledAt!)}. Signing in asks for a code from your authenticator app after
        your password. {status.recoveryCodesLeft} of 10 recovery codes left.
      </p>
    );
  }
  if (status.totp === "pending") {
    return (
      <p className="lead">
        <strong>Almost on.</strong> Add this account to your authenticator app, then enter the code it shows.
      </p>
    );
  }
  return (
    <p className="lead">
      <strong>Off.</strong> With two-step verification, signing in also asks for a code from an authenticator app on your phone, so
      a stolen password alone does not open your account.
    </p>
  );
}

/**
 * The authenticator-app part of the security page: status, set-up, recovery codes, turning it off.
 * The enable form keeps its place in every state: without JavaScript the page comes back already
 * "on", and the form's answer (the recovery codes, shown once) must still find its component.
 */
export function TotpPanel({ status }: { status: Status }) {
  return (
    <section className="panel" aria-labelledby="totp-title" id="totp">
      <h2 id="totp-title">Two-step verification</h2>
      <StatusLine status={status} />
      <EnableTotpForm pending={status.totp === "pending" ? status.pending : null} />
      {status.totp === "on" ? (
        <div>
          <h3>Recovery codes</h3>
          <p>Each recovery code works once in place of a code from the app, e.g. when your phone is lost. New codes void the old ones.</p>
          <RegenerateRecoveryCodesForm />
          <h3>Turn off</h3>
          <DisableTotpForm />
        </div>
      ) : status.totp === "off" ? (
        <form action={setUpTotpAction}>
          <SubmitButton pendingLabel="Preparing…">Set up an authenticator app</SubmitButton>
        </form>
      ) : null}
    </section>
  );
}
