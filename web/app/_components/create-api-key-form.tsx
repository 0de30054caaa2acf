"use client";

import { useActionState } from "react";
import { createApiKeyAction } from "../../../src/interfaces/web/api-keys/actions";
import { INITIAL_FORM_STATE, type CreateApiKeyState } from "../../../src/interfaces/web/shared/form-state";
import { CopyButton } from "./copy-button";
import { Field } from "./field";
import { FormAlert } from "./form-alert";
import { SubmitButton } from "./submit-button";
import { firstInvalid, useFocusOnAnswer } from "./use-focus-on-answer";

export function CreateApiKeyForm({ maxLength }: { maxLength: number }) {
  const [state, action] = useActionState<CreateApiKeyState, FormData>(createApiKeyAction, INITIAL_FORM_STATE);
  const ref = useFocusOnAnswer<HTMLDivElement>(state);
  const focus = firstInvalid(state, ["name"]);
  return (
    <div ref={ref}>
      {state.created ? (
        <div className="alert alert-success" role="status" tabIndex={-1} data-form-alert="" autoFocus>
          <p>
            <strong>API key “{state.created.name}” created.</strong> Copy it now: it is shown only this once and cannot be
            recovered later.
          </p>
          {/* A read-only field: it has a real label, and a tap selects the whole key on a phone. */}
          <label htmlFor="new-api-key" className="secret-label">
            Your new API key
          </label>
          <div className="secret-box">
            <textarea
              id="new-api-key"
              className="mono"
              readOnly
              rows={2}
              value={state.created.secret}
              spellCheck={false}
              autoCapitalize="off"
              autoCorrect="off"
              onFocus={(event) => event.currentTarget.select()}
            />
            <CopyButton text={state.created.secret} label="Copy key" />
          </div>
        </div>
      ) : (
        <FormAlert state={state} />
      )}
      <form action={action} className="form" noValidate>
        <Field
          id="api-key-name"
          name="name"
          label="Name"
          autoComplete="off"
          defaultValue={state.created ? "" : state.values?.name}
          error={state.fields?.name}
          autoFocus={focus === "name"}
          maxLength={maxLength}
          hint="Something that tells you later where the key is used, e.g. “CI deploy”."
        />
        <div>
          <SubmitButton pendingLabel="Creating key…">Create API key</SubmitButton>
        </div>
      </form>
    </div>
  );
}
