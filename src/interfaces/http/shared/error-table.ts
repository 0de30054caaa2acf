import type { DomainError } from "../../../domain/shared/domain-error";
import { describeError, getLogger } from "../../../infrastructure/di";
import { errorBody, json } from "./responses";

/**
 * The one table from error code to HTTP status. Domain and application errors know nothing about HTTP;
 * the edge-only codes (request shape, CSRF, method) are listed here as well so every status the API
 * answers comes from one place.
 */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  // bad input
  VALIDATION_FAILED: 400,
  INVALID_EMAIL: 400,
  WEAK_PASSWORD: 400,
  MALFORMED_JSON: 400,
  INVALID_TOKEN: 400,
  INVALID_USER_CODE: 400,
  /** The second step of a sign-in, or a change to the factor, with a wrong or spent code. */
  INVALID_MFA_CODE: 401,
  /** No live sign-in challenge: start again with the password. */
  MFA_CHALLENGE_INVALID: 401,
  /** Re-authentication with a second factor on needs its code too. */
  MFA_CODE_REQUIRED: 401,
  /** A passkey registration or assertion that does not verify, whatever the reason. */
  PASSKEY_REFUSED: 400,
  /** A billing webhook whose signature is missing, wrong or stale. */
  INVALID_SIGNATURE: 400,
  // who you are
  INVALID_CREDENTIALS: 401,
  UNAUTHENTICATED: 401,
  // what you may do
  EMAIL_NOT_VERIFIED: 403,
  REAUTHENTICATION_REQUIRED: 403,
  FORBIDDEN: 403,
  INVITATION_EMAIL_MISMATCH: 403,
  /** A bearer credential on a route that needs a browser session. */
  SESSION_REQUIRED: 403,
  CROSS_SITE_REQUEST: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  EMAIL_TAKEN: 409,
  ALREADY_MEMBER: 409,
  /** An invitation to an address that only looks like an existing account's (another script). */
  LOOK_ALIKE_EMAIL: 409,
  LAST_OWNER: 409,
  MFA_ALREADY_ENABLED: 409,
  MFA_NOT_ENABLED: 409,
  MFA_SETUP_REQUIRED: 409,
  PASSKEY_ALREADY_REGISTERED: 409,
  ALREADY_SUBSCRIBED: 409,
  NO_BILLING_ACCOUNT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  ACCOUNT_LOCKED: 429,
  INTERNAL_ERROR: 500,
  /** Stripe did not answer: for a webhook, the provider retries later. */
  BILLING_PROVIDER_UNAVAILABLE: 502,
  SERVICE_UNAVAILABLE: 503,
  /** Production without a payment provider configured. */
  BILLING_NOT_CONFIGURED: 503,
  // Password hashing at capacity (thrown by the bounded hasher): the server's state, not the client's fault.
  OVERLOADED: 503,
};

export function statusFor(code: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(STATUS_BY_CODE, code) ? STATUS_BY_CODE[code] : undefined;
}

/** Which request field an error is about, per route (e.g. `newPassword` for a weak password on change). */
export interface FieldNames {
  readonly email?: string;
  readonly password?: string;
  /** Where a re-authentication failed (INVALID_CREDENTIALS), and what to say there. */
  readonly credentials?: readonly [field: string, message: string];
}

function fieldsOf(error: DomainError, names: FieldNames): Record<string, string> | undefined {
  switch (error.code) {
    case "INVALID_EMAIL":
      return { [names.email ?? "email"]: error.message };
    case "WEAK_PASSWORD":
      return { [names.password ?? "password"]: error.message };
    case "INVALID_CREDENTIALS":
      // Sign-in names no field: which of e-mail or password was wrong is not said.
      return names.credentials ? { [names.credentials[0]]: names.credentials[1] } : undefined;
    default: {
      const fields = (error as { fields?: unknown }).fields;
      if (fields && typeof fields === "object") {
        return Object.fromEntries(Object.entries(fields).filter(([, v]) => typeof v === "string")) as Record<string, string>;
      }
      return undefined;
    }
  }
}

/** The response for an expected refusal returned by a use case. */
export function domainErrorResponse(error: DomainError, names: FieldNames = {}): Response {
  const status = statusFor(error.code);
  if (status === undefined) {
    // A code the table does not know is a bug in this table, not the client's fault: answer like any bug.
    return internalErrorResponse(new Error(`unmapped error code ${error.code}`));
  }
  const headers: Record<string, string> = {};
  const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (status === 429) headers["Retry-After"] = String(Math.max(1, Math.ceil(typeof retryAfter === "number" ? retryAfter : 1)));
  return json(status, errorBody(error.code, error.message, fieldsOf(error, names)), headers);
}

/** An edge refusal (request shape, CSRF, method). */
export function edgeErrorResponse(code: string, message: string, fields?: Record<string, string>, headers?: HeadersInit): Response {
  return json(statusFor(code) ?? 400, errorBody(code, message, fields), headers);
}

const CONNECTION_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "EPIPE", "EAI_AGAIN"]);

/**
 * Whether a thrown error means the database (or another backing service) is unreachable rather than a
 * bug: connection refused/reset, PostgreSQL class 08 (connection exception), 57P (operator
 * intervention: shutdown), 53300 (too many connections), or a pool that lost its connection.
 */
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string") {
    if (CONNECTION_ERROR_CODES.has(code)) return true;
    if (/^08|^57P0[123]$|^53300$/.test(code)) return true;
  }
  if (typeof message === "string" && /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|ECONNREFUSED|Connection is closed/i.test(message)) {
    return true;
  }
  if (Array.isArray(errors) && errors.some((e) => isUnavailable(e, depth + 1))) return true;
  return cause !== undefined && isUnavailable(cause, depth + 1);
}

/** Anything thrown: logged with its stack here, never echoed to the client. */
export function internalErrorResponse(error: unknown): Response {
  if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "OVERLOADED") {
    const retryAfter = Number((error as { retryAfterSeconds?: unknown }).retryAfterSeconds);
    return json(statusFor("OVERLOADED")!, errorBody("OVERLOADED", "The server is busy. Try again in a moment."), {
      "Retry-After": String(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : 1),
    });
  }
  if (isUnavailable(error)) {
    getLogger().error(`[api] backing service unavailable: ${describeError(error)}`, { event: "unavailable" });
    return json(statusFor("SERVICE_UNAVAILABLE")!, errorBody("SERVICE_UNAVAILABLE", "The service is temporarily unavailable. Try again shortly."), { "Retry-After": "5" });
  }
  getLogger().error(`[api] unexpected error: ${describeError(error)}`, { event: "error", stack: error instanceof Error ? error.stack : undefined });
  return json(statusFor("INTERNAL_ERROR")!, errorBody("INTERNAL_ERROR", "Something went wrong on our side. Try again later."));
}
