"use client";

import { useActionState } from "react";
import { reauthenticateAction } from "../../../src/interfaces/web/sessions/actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { useFocusOnAnswer } from "./use-focus-on-answer";

export function ReauthenticateForm({ next }: { next: string }) {
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
      <SubmitButton pendingLabel="Confirming…" block>
        Confirm and continue
      </SubmitButton>
    </form>
  );
}
