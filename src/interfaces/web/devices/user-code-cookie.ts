import { normaliseUserCode } from "../../../domain/device/user-code";
import { sessionCookieIsSecure } from "../../http/shared/session-cookie";

/**
 * The user code of a `verification_uri_complete` link, moved out of the URL like the e-mailed links'
 * tokens: the proxy answers `/device?user_code=…` with a 303 to `/device` and keeps the code in a
 * short-lived HttpOnly cookie scoped to `/device`, so it leaves the address bar, the history and any
 * Referer, and the page (and sign-in in between, when needed) picks it up from there.
 */
export const DEVICE_PATH = "/device";
const COOKIE_MAX_AGE_SECONDS = 900;

export function userCodeCookieName(appUrl: string): string {
  return `${appUrl.startsWith("https:") ? "__Secure-" : ""}device-user-code`;
}

export function userCodeCookieAttributes(appUrl: string, maxAge = COOKIE_MAX_AGE_SECONDS) {
  return { httpOnly: true, secure: sessionCookieIsSecure(appUrl), sameSite: "lax" as const, path: DEVICE_PATH, maxAge };
}

/** The canonical code if the value can be one; anything else is dropped rather than carried along. */
export function wellFormedUserCode(value: string | null | undefined): string | null {
  return normaliseUserCode(value);
}
