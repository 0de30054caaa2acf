"use client";

import Link from "next/link";
import { useActionState } from "react";
import { signInAction } from "../../../src/interfaces/web/identity/actions";
import { INITIAL_FORM_STATE } from "../../../src/interfaces/web/shared/form-state";
import type { Notice } from "../../../src/interfaces/web/shared/notices";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { NoticeBanner } from "./notice-banner";
import { SubmitButton } from "./submit-button";
import { firstInvalid, useFocusOnAnswer } from "./use-focus-on-answer";

export function SignInForm({ next, email, notice = null }: { next: string; email?: string; notice?: Notice | null }) {
  const [state, action] = useActionState(signInAction, INITIAL_FORM_STATE);
  const formRef = useFocusOnAnswer(state);
  const focus = firstInvalid(state, ["email", "password"]);
  return (
    <form ref={formRef} action={action} className="form" noValidate>
      {/* "You are signed out." is old news once the form has answered: it would sit above the refusal. */}
      {state.attempt === undefined ? <NoticeBanner notice={notice} /> : null}
      <FormAlert state={state} />
      {state.code === "ACCOUNT_LOCKED" ? (
        <p>
          <Link href="/forgot-password">Reset your password</Link>
        </p>
      ) : null}
      <input type="hidden" name="next" value={next} />
      <Field
        id="email"
        name="email"
        type="email"
        label="E-mail address"
        autoComplete="username webauthn"
        defaultValue={state.values?.email ?? email}
        error={state.fields?.email}
        autoFocus={focus === "email"}
        maxLength={254}
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="current-password"
        error={state.fields?.password}
        autoFocus={focus === "password"}
        aside={<Link href="/forgot-password">Forgot your password?</Link>}
      />
      <SubmitButton pendingLabel="Signing in…" block>
        Sign in
      </SubmitButton>
    </form>
  );
}
