import { sessionCookieIsSecure } from "../../http/shared/session-cookie";

/**
 * The one-time token of an e-mailed link, moved out of the URL.
 *
 * A link opens `/verify-email?token=…` (or `/reset-password?token=…`, `/invite?token=…`, `/confirm-email?token=…`). The proxy answers that GET with
 * `Referrer-Policy: no-referrer` and a 303 to the same path without the query, keeping the token in a
 * short-lived HttpOnly cookie scoped to that path. The page then reads it from the cookie and puts it in
 * its confirmation form. So the token leaves the address bar and history, and can never reach another
 * site in a Referer, while the confirmation page itself keeps an ordinary referrer policy.
 *
 * Why not simply `no-referrer` on the page: a document under `no-referrer` sends `Origin: null` with
 * its form POSTs, and Next.js (rightly) refuses a server action from origin "null", so the button would
 * not work without JavaScript. A GET still never spends the token: only the button's POST does.
 */
export type LinkPurpose = "verify-email" | "reset-password" | "invite" | "confirm-email";

/**
 * Where the cookie is sent. An invitation's goes everywhere on the site (still HttpOnly, SameSite=Lax,
 * never in a URL): a newcomer signs up from the invitation with `?next=/invite`, and the server action
 * that signs them up renders /invite inside its own POST to /sign-up, where a cookie scoped to /invite
 * would not be sent, so the invitation would seem lost.
 */
const PATHS: Record<LinkPurpose, string> = {
  "verify-email": "/verify-email",
  "reset-password": "/reset-password",
  invite: "/",
  "confirm-email": "/confirm-email",
};

/**
 * Long enough to read the mail and press the button; the token's own expiry is checked by the use case.
 * An invitation waits longer: a newcomer signs up and verifies their address before coming back to it.
 */
const COOKIE_MAX_AGE_SECONDS: Record<LinkPurpose, number> = {
  "verify-email": 3600,
  "reset-password": 3600,
  invite: 24 * 3600,
  "confirm-email": 3600,
};
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,512}$/;

export function linkPurposeOf(pathname: string): LinkPurpose | null {
  if (pathname === "/verify-email") return "verify-email";
  if (pathname === "/reset-password") return "reset-password";
  if (pathname === "/invite") return "invite";
  if (pathname === "/confirm-email") return "confirm-email";
  return null;
}

export function linkTokenCookieName(purpose: LinkPurpose, appUrl: string): string {
  // `__Host-` needs Path=/; `__Secure-` still stops a plain-http page from planting it.
  return `${appUrl.startsWith("https:") ? "__Secure-" : ""}${purpose}-token`;
}

export function linkTokenCookieAttributes(purpose: LinkPurpose, appUrl: string, maxAge = COOKIE_MAX_AGE_SECONDS[purpose]) {
  return { httpOnly: true, secure: sessionCookieIsSecure(appUrl), sameSite: "lax" as const, path: PATHS[purpose], maxAge };
}

/** The token if it looks like one of ours; anything else is dropped rather than carried along. */
export function wellFormedLinkToken(value: string | null | undefined): string | null {
  return typeof value === "string" && TOKEN_SHAPE.test(value) ? value : null;
}
