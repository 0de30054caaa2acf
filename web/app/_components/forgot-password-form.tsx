"use client";

import { useActionState } from "react";
import { requestPasswordResetAction } from "../../../src/interfaces/web/identity/actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { firstInvalid, useFocusOnAnswer } from "./use-focus-on-answer";

export function ForgotPasswordForm() {
  const [state, action] = useActionState(requestPasswordResetAction, INITIAL_FORM_STATE);
  const formRef = useFocusOnAnswer(state);
  const focus = firstInvalid(state, ["email"]);
  return (
    <form ref={formRef} action={action} className="form" noValidate>
      <FormAlert state={state} />
      <Field
        id="email"
        name="email"
        type="email"
        label="E-mail address"
        autoComplete="email"
        defaultValue={state.values?.email}
        error={state.fields?.email}
        autoFocus={focus === "email"}
        maxLength={254}
      />
      <SubmitButton pendingLabel="Sending…" block>
        Send reset link
      </SubmitButton>
    </form>
  );
}
