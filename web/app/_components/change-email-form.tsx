"use client";

import { useActionState } from "react";
import { requestEmailChangeAction } from "../../../src/interfaces/web/identity/email-change-actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { firstInvalid, useFocusOnAnswer } from "./use-focus-on-answer";

export function ChangeEmailForm() {
  const [state, action] = useActionState(requestEmailChangeAction, INITIAL_FORM_STATE);
  const formRef = useFocusOnAnswer(state);
  const focus = firstInvalid(state, ["newEmail"]);
  return (
    <form ref={formRef} action={action} className="form" noValidate>
      <FormAlert state={state} />
      <Field
        id="new-email"
        name="newEmail"
        type="email"
        label="New e-mail address"
        autoComplete="email"
        defaultValue={state.tone === "success" ? "" : state.values?.newEmail}
        error={state.fields?.newEmail}
        autoFocus={focus === "newEmail"}
        maxLength={254}
        hint="We mail a link to the new address and a notice to the current one. Nothing changes until the link is opened."
      />
      <div>
        <SubmitButton pendingLabel="Sending link…">Change e-mail address</SubmitButton>
      </div>
    </form>
  );
}
