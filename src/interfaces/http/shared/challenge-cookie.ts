import { isHttpsAppUrl, maxAgeUntil, parseCookieHeader, sessionCookieIsSecure } from "./session-cookie";

/**
 * The second step's cookie: the one-time challenge the password step hands out when a second factor is
 * on. HttpOnly, Strict (only this site's own forms and fetches send it), Path=/, no Domain, a
 * `__Host-` name on https, and it lives only as long as the challenge (a few minutes).
 */
export function challengeCookieName(appUrl: string): string {
  return isHttpsAppUrl(appUrl) ? "__Host-mfa-challenge" : "mfa-challenge";
}

export interface ChallengeCookieAttributes {
  readonly httpOnly: true;
  readonly secure: boolean;
  readonly sameSite: "strict";
  readonly path: "/";
  readonly maxAge: number;
}

export function challengeCookieAttributes(expiresAt: Date, now: Date, appUrl: string): ChallengeCookieAttributes {
  return { httpOnly: true, secure: sessionCookieIsSecure(appUrl), sameSite: "strict", path: "/", maxAge: maxAgeUntil(expiresAt, now) };
}

function serialize(name: string, value: string, attributes: ChallengeCookieAttributes): string {
  const parts = [`${name}=${value}`, "Path=/", `Max-Age=${attributes.maxAge}`, "HttpOnly"];
  if (attributes.secure) parts.push("Secure");
  parts.push("SameSite=Strict");
  return parts.join("; ");
}

export function serializeChallengeCookie(challenge: string, expiresAt: Date, now: Date, appUrl: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(challenge)) throw new TypeError("challenge is not cookie-safe");
  return serialize(challengeCookieName(appUrl), challenge, challengeCookieAttributes(expiresAt, now, appUrl));
}

export function clearChallengeCookie(appUrl: string): string {
  return serialize(challengeCookieName(appUrl), "", { ...challengeCookieAttributes(new Date(0), new Date(0), appUrl), maxAge: 0 });
}

export function readChallengeCookie(source: Request | Headers, appUrl: string): string | null {
  const header = source instanceof Headers ? source.get("cookie") : source.headers.get("cookie");
  const value = parseCookieHeader(header).get(challengeCookieName(appUrl));
  return value && value.length <= 256 ? value : null;
}
