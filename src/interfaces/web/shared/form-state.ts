/**
 * What a server action hands back to its form. The same object renders the form again with
 * JavaScript (useActionState) and without it (the server re-renders the page with it), so it must
 * hold only what may be shown: never a password, never a token.
 */
export interface FormState {
  /** A message about the whole form; `tone` says how to show it. */
  readonly message?: string;
  readonly tone?: "error" | "success" | "info";
  /** Stable error code, for tests and for pages that react to a specific refusal. */
  readonly code?: string;
  /** Per-field messages, keyed by input name. */
  readonly fields?: Readonly<Record<string, string>>;
  /** Non-secret values to fill in again (the e-mail address, a key name). */
  readonly values?: Readonly<Record<string, string>>;
  /** Seconds until another attempt is allowed, for "too many attempts". */
  readonly retryAfterSeconds?: number;
  /** Bumped on every answer so the form can move focus again even when the message is unchanged. */
  readonly attempt?: number;
}

/** The answer to creating an API key carries its secret: the one and only time it is shown. */
export interface CreateApiKeyState extends FormState {
  readonly created?: { readonly id: string; readonly name: string; readonly secret: string };
}

export const INITIAL_FORM_STATE: FormState = {};

/** A text field of a submitted form; anything else (missing, a file) reads as the empty string. */
export function textField(form: FormData, name: string, maxLength = 4096): string {
  const value = form.get(name);
  if (typeof value !== "string") return "";
  return value.length > maxLength ? value.slice(0, maxLength + 1) : value;
}
