"use client";

import { useActionState } from "react";
import { enableTotpAction } from "../../../src/interfaces/web/mfa/actions";
import type { RecoveryCodesState } from "../../../src/interfaces/web/mfa/recovery-codes-state";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { RecoveryCodesList } from "./recovery-codes-list";
import { SubmitButton } from "./submit-button";
import { useFocusOnAnswer } from "./use-focus-on-answer";

/** Proving the scan with a code turns the factor on; the answer carries the recovery codes, shown once. */
export function EnableTotpForm({ pending }: { pending: { secret: string; qrDataUrl: string } | null }) {
  const [state, action] = useActionState<RecoveryCodesState, FormData>(enableTotpAction, INITIAL_FORM_STATE);
  const ref = useFocusOnAnswer<HTMLDivElement>(state);
  if (state.recoveryCodes) {
    return (
      <div ref={ref}>
        <FormAlert state={state} />
        <RecoveryCodesList codes={state.recoveryCodes} />
      </div>
    );
  }
  if (!pending) return null;
  return (
    <div ref={ref}>
      <FormAlert state={state} />
      <ol className="steps">
        <li>
          <p>Scan this QR code with your authenticator app:</p>
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img className="qr-code" src={pending.qrDataUrl} alt="QR code to add this account to an authenticator app" width={200} height={200} />
        </li>
        <li>
          <p>
            Or type this key into the app: <code className="mono" data-testid="totp-secret">{pending.secret}</code>
          </p>
        </li>
        <li>
          <form action={action} className="form" noValidate>
            <Field
              id="totp-code"
              name="code"
              label="Code the app shows"
              autoComplete="one-time-code"
              error={state.fields?.code}
              maxLength={12}
              hint="Six digits, to prove the app is set up."
            />
            <div>
              <SubmitButton pendingLabel="Turning on…">Turn on two-step verification</SubmitButton>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}
