"use client";

import { useActionState } from "react";
import { resendVerificationAction } from "../../../src/interfaces/web/identity/actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { useFocusOnAnswer } from "./use-focus-on-answer";

/** Sends a fresh verification link to the signed-in user's address. */
export function ResendVerificationForm({ variant = "secondary" }: { variant?: "primary" | "secondary" }) {
  const [state, action] = useActionState(resendVerificationAction, INITIAL_FORM_STATE);
  const formRef = useFocusOnAnswer(state);
  return (
    <form ref={formRef} action={action} className="stack-sm">
      <FormAlert state={state} />
      <SubmitButton pendingLabel="Sending…" variant={variant}>
        Send a new verification link
      </SubmitButton>
    </form>
  );
}
