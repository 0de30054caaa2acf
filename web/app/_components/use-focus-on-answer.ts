"use client";

import { useEffect, useRef } from "react";
import type { FormState } from "../../../src/interfaces/web/shared/form-state";

/**
 * After each answer from the server, move focus to the first invalid field, or else to the form's
 * message, so keyboard and screen-reader users land where the problem is. Nothing happens on the
 * first render: focus is not stolen from someone who has not submitted yet.
 */
export function useFocusOnAnswer<T extends HTMLElement = HTMLFormElement>(state: FormState) {
  const formRef = useRef<T>(null);
  useEffect(() => {
    if (state.attempt === undefined) return;
    const form = formRef.current;
    if (!form) return;
    const invalid = form.querySelector<HTMLElement>("[aria-invalid='true']");
    const alert = form.querySelector<HTMLElement>("[data-form-alert]");
    (invalid ?? alert)?.focus();
  }, [state]);
  return formRef;
}

/**
 * The first of `names` (in form order) that has an error. Rendered as `autoFocus` so that without
 * JavaScript, too, the browser puts the cursor in the field to fix when the page comes back.
 */
export function firstInvalid(state: FormState, names: readonly string[]): string | undefined {
  return names.find((name) => state.fields?.[name]);
}
