import { DomainError } from "./domain-error";

/** How a request proved who it is: the browser's session cookie, or a bearer secret of one kind. */
export type CredentialKind = "session" | "api-key" | "device";

/** The credential behind a request, as `GET /api/me` shows it. */
export interface CredentialView {
  readonly kind: CredentialKind;
  readonly id: string;
  readonly name: string;
}

/**
 * Bearer last use is written at most this often per credential, so a busy key does not turn every
 * read into a write.
 */
export const LAST_USE_RESOLUTION_MS = 60_000;

/** A bearer credential (API key, device token) on a route that needs the session of a signed-in browser. */
export class SessionRequired extends DomainError {
  readonly code = "SESSION_REQUIRED";
  constructor() {
    super("This route needs a signed-in browser session; an API key or device token cannot be used here.");
  }
}
