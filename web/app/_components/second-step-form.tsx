"use client";

import { useActionState } from "react";
import { completeSignInAction } from "../../../src/interfaces/web/mfa/actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { useFocusOnAnswer } from "./use-focus-on-answer";

/** The second step of a sign-in: a code from the app, or (second form) a recovery code. Works without JavaScript. */
export function SecondStepForm({ next }: { next: string }) {
  const [state, action] = useActionState(completeSignInAction, INITIAL_FORM_STATE);
  const formRef = useFocusOnAnswer(state);
  return (
    <>
      <FormAlert state={state} />
      <form ref={formRef} action={action} className="form" noValidate>
        <input type="hidden" name="next" value={next} />
        <input type="hidden" name="method" value="totp" />
        <Field
          id="code"
          name="code"
          label="Code from your authenticator app"
          autoComplete="one-time-code"
          error={state.fields?.code}
          autoFocus
          maxLength={12}
          hint="Six digits. Each code works once; if it was just used, wait for the next one."
        />
        <SubmitButton pendingLabel="Checking…" block>
          Continue
        </SubmitButton>
      </form>
      <details className="panel" open={state.fields?.recoveryCode !== undefined}>
        <summary>Use a recovery code instead</summary>
        <form action={action} className="form" noValidate>
          <input type="hidden" name="next" value={next} />
          <input type="hidden" name="method" value="recovery-code" />
          <Field
            id="recovery-code"
            name="recoveryCode"
            label="Recovery code"
            autoComplete="off"
            error={state.fields?.recoveryCode}
            maxLength={40}
            hint="One of the codes you saved when you turned two-step verification on. Each works once."
          />
          <SubmitButton pendingLabel="Checking…" variant="secondary">
            Sign in with a recovery code
          </SubmitButton>
        </form>
      </details>
    </>
  );
}
