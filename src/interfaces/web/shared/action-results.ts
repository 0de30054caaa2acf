import type { DomainError } from "../../../domain/shared/domain-error";
import type { FormState } from "./form-state";
import { isUnavailable } from "../../http/shared/error-table";
import { messageFor, retryAfterOf } from "./messages";
import { describeError, getLogger } from "../../../infrastructure/di";

/**
 * Turning a use case's refusal into what a form shows. Kept out of the "use server" modules: every
 * export of those becomes a callable endpoint, and these are plain functions.
 */
export function failure(
  previous: FormState,
  error: DomainError,
  values: Record<string, string> = {},
  fields?: Record<string, string>,
): FormState {
  const retryAfterSeconds = retryAfterOf(error);
  const hasFields = fields !== undefined && Object.keys(fields).length > 0;
  return {
    tone: "error",
    code: error.code,
    // A field's own message sits next to it and focus goes there; a second copy on top would only repeat it.
    message: hasFields ? undefined : messageFor(error),
    fields: hasFields ? fields : undefined,
    values,
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
    attempt: (previous.attempt ?? 0) + 1,
  };
}

/**
 * Which input an error is about. `names` maps the use case's words to this form's input names
 * (a weak password is the `newPassword` input on the change-password form).
 */
export function fieldsFor(error: DomainError, names: { email?: string; password?: string } = {}): Record<string, string> | undefined {
  switch (error.code) {
    case "INVALID_EMAIL":
      return { [names.email ?? "email"]: error.message };
    case "WEAK_PASSWORD":
      return { [names.password ?? "password"]: error.message };
    case "VALIDATION_FAILED": {
      const raw = (error as { fields?: unknown }).fields;
      if (!raw || typeof raw !== "object") return undefined;
      const fields: Record<string, string> = {};
      for (const [key, value] of Object.entries(raw)) {
        if (typeof value !== "string") continue;
        const name = key === "password" && names.password ? names.password : key === "email" && names.email ? names.email : key;
        fields[name] = value;
      }
      return Object.keys(fields).length > 0 ? fields : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Sign-up's fields after a refusal. The use case stops at the first problem, so a malformed address
 * would hide a password that is about to be refused too and cost the person a second round trip;
 * `passwordRefusal` is the password policy's own verdict on the password alone (null: it passes).
 */
export function signUpFields(error: DomainError, passwordRefusal: DomainError | null): Record<string, string> | undefined {
  const fields = fieldsFor(error, { password: "password" });
  if (error.code !== "INVALID_EMAIL" || passwordRefusal === null) return fields;
  const password = fieldsFor(passwordRefusal, { password: "password" });
  return password ? { ...fields, ...password } : fields;
}

/**
 * Runs a form action, turning "the server cannot do this right now" (password hashing at capacity,
 * database unreachable) into a message on the form instead of an error page. Everything else,
 * Next.js's redirect signal included, is rethrown untouched.
 */
export async function answering<S extends FormState>(previous: S, work: () => Promise<S>): Promise<S> {
  try {
    return await work();
  } catch (error) {
    const busy = serviceRefusal(error);
    if (!busy) throw error;
    return { ...previous, tone: "error", code: busy.code, message: busy.message, fields: undefined, retryAfterSeconds: busy.retryAfterSeconds, attempt: (previous.attempt ?? 0) + 1 } as S;
  }
}

function serviceRefusal(error: unknown): { code: string; message: string; retryAfterSeconds: number } | null {
  if (typeof error !== "object" || error === null) return null;
  const { code, retryAfterSeconds } = error as { code?: unknown; retryAfterSeconds?: unknown };
  if (code === "OVERLOADED") {
    const wait = typeof retryAfterSeconds === "number" && retryAfterSeconds > 0 ? Math.ceil(retryAfterSeconds) : 1;
    return { code: "OVERLOADED", message: "The server is busy right now. Try again in a moment.", retryAfterSeconds: wait };
  }
  if (isUnavailable(error)) {
    getLogger().error(`[web] backing service unavailable: ${describeError(error)}`, { event: "unavailable" });
    return { code: "SERVICE_UNAVAILABLE", message: "The service is temporarily unavailable. Try again in a moment.", retryAfterSeconds: 5 };
  }
  return null;
}
