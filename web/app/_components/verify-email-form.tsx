"use client";

import Link from "next/link";
import { useActionState } from "react";
import { verifyEmailAction } from "../../../src/interfaces/web/identity/actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { useFocusOnAnswer } from "./use-focus-on-answer";

/** Opening the link only shows this button: the token is spent by the POST, never by the GET. Success redirects. */
export function VerifyEmailForm({ token }: { token: string }) {
  const [state, action] = useActionState(verifyEmailAction, INITIAL_FORM_STATE);
  const ref = useFocusOnAnswer<HTMLDivElement>(state);
  return (
    <div ref={ref}>
      <FormAlert state={state} />
      <form action={action} className="form">
        {state.code === "INVALID_TOKEN" ? (
          <p>
            Signed in? Ask for a new link from <Link href="/verify-email">this page</Link> or your account page.
          </p>
        ) : null}
        <input type="hidden" name="token" value={token} />
        <SubmitButton pendingLabel="Confirming…" block>
          Confirm my e-mail address
        </SubmitButton>
      </form>
    </div>
  );
}
