"use client";

import { useActionState } from "react";
import { deleteAccountAction } from "../../../src/interfaces/web/identity/actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { firstInvalid, useFocusOnAnswer } from "./use-focus-on-answer";

export function DeleteAccountForm() {
  const [state, action] = useActionState(deleteAccountAction, INITIAL_FORM_STATE);
  const formRef = useFocusOnAnswer(state);
  const focus = firstInvalid(state, ["password"]);
  return (
    <form ref={formRef} action={action} className="form" noValidate>
      <FormAlert state={state} />
      <Field
        id="delete-password"
        name="password"
        type="password"
        label="Your password"
        autoComplete="current-password"
        error={state.fields?.password}
        autoFocus={focus === "password"}
        hint="Deleting cannot be undone: your sessions, API keys and history go with the account."
      />
      <div>
        <SubmitButton variant="danger" pendingLabel="Deleting account…">
          Delete my account
        </SubmitButton>
      </div>
    </form>
  );
}
