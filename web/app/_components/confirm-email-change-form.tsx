"use client";

import { useActionState } from "react";
import { confirmEmailChangeAction } from "../../../src/interfaces/web/identity/email-change-actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { useFocusOnAnswer } from "./use-focus-on-answer";

/** Opening the link only shows this button: the token is spent by the POST, never by the GET. Success redirects. */
export function ConfirmEmailChangeForm({ token }: { token: string }) {
  const [state, action] = useActionState(confirmEmailChangeAction, INITIAL_FORM_STATE);
  const ref = useFocusOnAnswer<HTMLDivElement>(state);
  return (
    <div ref={ref}>
      <FormAlert state={state} />
      <form action={action} className="form">
        <input type="hidden" name="token" value={token} />
        <SubmitButton pendingLabel="Confirming…" block>
          Use this address
        </SubmitButton>
      </form>
    </div>
  );
}
