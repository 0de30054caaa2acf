"use client";

import { useActionState } from "react";
import { changePasswordAction } from "../../../src/interfaces/web/identity/actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { firstInvalid, useFocusOnAnswer } from "./use-focus-on-answer";

export function ChangePasswordForm({ email, minLength }: { email: string; minLength: number }) {
  const [state, action] = useActionState(changePasswordAction, INITIAL_FORM_STATE);
  const formRef = useFocusOnAnswer(state);
  const focus = firstInvalid(state, ["currentPassword", "newPassword"]);
  return (
    <form ref={formRef} action={action} className="form" noValidate>
      <FormAlert state={state} />
      {/* Lets password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field
        id="current-password"
        name="currentPassword"
        type="password"
        label="Current password"
        autoComplete="current-password"
        error={state.fields?.currentPassword}
        autoFocus={focus === "currentPassword"}
      />
      <Field
        id="new-password"
        name="newPassword"
        type="password"
        label="New password"
        autoComplete="new-password"
        error={state.fields?.newPassword}
        autoFocus={focus === "newPassword"}
        hint={`At least ${minLength} characters. Common passwords and your e-mail address are refused.`}
      />
      <div>
        <SubmitButton pendingLabel="Changing password…">Change password</SubmitButton>
      </div>
    </form>
  );
}
