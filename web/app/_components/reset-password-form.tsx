"use client";

import Link from "next/link";
import { useActionState } from "react";
import { resetPasswordAction } from "../../../src/interfaces/web/identity/actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { firstInvalid, useFocusOnAnswer } from "./use-focus-on-answer";

export function ResetPasswordForm({ token, minLength }: { token: string; minLength: number }) {
  const [state, action] = useActionState(resetPasswordAction, INITIAL_FORM_STATE);
  const formRef = useFocusOnAnswer(state);
  const focus = firstInvalid(state, ["password"]);
  return (
    <form ref={formRef} action={action} className="form" noValidate>
      <FormAlert state={state} />
      {state.code === "INVALID_TOKEN" ? (
        <p>
          <Link href="/forgot-password">Ask for a new reset link</Link>
        </p>
      ) : null}
      <input type="hidden" name="token" value={token} />
      <Field
        id="password"
        name="password"
        type="password"
        label="New password"
        autoComplete="new-password"
        error={state.fields?.password}
        autoFocus={focus === "password"}
        hint={`At least ${minLength} characters. Common passwords are refused.`}
      />
      <SubmitButton pendingLabel="Saving…" block>
        Set new password
      </SubmitButton>
    </form>
  );
}
