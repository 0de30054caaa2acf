import type { FormState } from "../../../src/interfaces/web/shared/form-state";

/**
 * The message about a whole form. `data-form-alert` lets the focus hook find it; tabIndex -1 lets it
 * take focus so a screen reader reads it right after submitting.
 */
export function FormAlert({ state }: { state: FormState }) {
  if (!state.message) return null;
  const tone = state.tone ?? "error";
  return (
    <div
      className={`alert alert-${tone}`}
      role={tone === "error" ? "alert" : "status"}
      tabIndex={-1}
      data-form-alert=""
      // Without JavaScript the browser focuses it on load; with it, useFocusOnAnswer does the same.
      autoFocus={state.fields === undefined || Object.keys(state.fields).length === 0}
      data-code={state.code}
    >
      <p>{state.message}</p>
    </div>
  );
}
