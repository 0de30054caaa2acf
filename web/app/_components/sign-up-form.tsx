"use client";

import { useActionState } from "react";
import { signUpAction } from "../../../src/interfaces/web/identity/actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { firstInvalid, useFocusOnAnswer } from "./use-focus-on-answer";

export function SignUpForm({ next, minLength, maxLength }: { next: string; minLength: number; maxLength: number }) {
  const [state, action] = useActionState(signUpAction, INITIAL_FORM_STATE);
  const formRef = useFocusOnAnswer(state);
  const focus = firstInvalid(state, ["email", "password"]);
  return (
    <form ref={formRef} action={action} className="form" noValidate>
      <FormAlert state={state} />
      <input type="hidden" name="next" value={next} />
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
        hint="We will send a link to confirm it."
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        error={state.fields?.password}
        autoFocus={focus === "password"}
        hint={`At least ${minLength} characters, at most ${maxLength}. A long phrase is easier to remember and harder to guess; common passwords are refused.`}
      />
      <SubmitButton pendingLabel="Creating your account…" block>
        Create account
      </SubmitButton>
    </form>
  );
}
