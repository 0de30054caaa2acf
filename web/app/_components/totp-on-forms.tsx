"use client";

import { useActionState } from "react";
import { disableTotpAction, regenerateRecoveryCodesAction } from "../../../src/interfaces/web/mfa/actions";
import type { RecoveryCodesState } from "../../../src/interfaces/web/mfa/recovery-codes-state";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { RecoveryCodesList } from "./recovery-codes-list";
import { SubmitButton } from "./submit-button";
import { useFocusOnAnswer } from "./use-focus-on-answer";

export function RegenerateRecoveryCodesForm() {
  const [state, action] = useActionState<RecoveryCodesState, FormData>(regenerateRecoveryCodesAction, INITIAL_FORM_STATE);
  const ref = useFocusOnAnswer<HTMLDivElement>(state);
  return (
    <div ref={ref}>
      <FormAlert state={state} />
      {state.recoveryCodes ? <RecoveryCodesList codes={state.recoveryCodes} /> : null}
      <form action={action} className="row">
        <SubmitButton variant="secondary" pendingLabel="Making new codes…">
          Make new recovery codes
        </SubmitButton>
      </form>
    </div>
  );
}

export function DisableTotpForm() {
  const [state, action] = useActionState(disableTotpAction, INITIAL_FORM_STATE);
  const ref = useFocusOnAnswer<HTMLDivElement>(state);
  return (
    <div ref={ref}>
      <FormAlert state={state} />
      <form action={action} className="form" noValidate>
        <input type="hidden" name="method" value="totp" />
        <Field
          id="disable-code"
          name="code"
          label="Code from your authenticator app"
          autoComplete="one-time-code"
          error={state.fields?.code}
          maxLength={12}
          hint="To turn two-step verification off, prove you still hold the app."
        />
        <div>
          <SubmitButton variant="danger" pendingLabel="Turning off…">
            Turn off two-step verification
          </SubmitButton>
        </div>
      </form>
    </div>
  );
}
