"use client";

import { useActionState } from "react";
import { reauthenticateAction } from "../../../src/interfaces/web/sessions/actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { useFocusOnAnswer } from "./use-focus-on-answer";

/** `withCode`: a second factor is on, so a code from the app (or a recovery code) is asked for too. */
export function ReauthenticateForm({ next, withCode = false }: { next: string; withCode?: boolean }) {
  const [state, action] = useActionState(reauthenticateAction, INITIAL_FORM_STATE);
  const formRef = useFocusOnAnswer(state);
  return (
    <form ref={formRef} action={action} className="form" noValidate>
      <FormAlert state={state} />
      <input type="hidden" name="next" value={next} />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="current-password"
        error={state.fields?.password}
        autoFocus
      />
      {withCode ? (
        <>
          <Field
            id="code"
            name="code"
            label="Code from your authenticator app"
            autoComplete="one-time-code"
            error={state.fields?.code}
            required={false}
            maxLength={12}
          />
          <Field
            id="recovery-code"
            name="recoveryCode"
            label="Or a recovery code"
            autoComplete="off"
            error={state.fields?.recoveryCode}
            required={false}
            maxLength={40}
          />
        </>
      ) : null}
      <SubmitButton pendingLabel="Confirming…" block>
        Confirm and continue
      </SubmitButton>
    </form>
  );
}
