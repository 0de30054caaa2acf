/**
 * The session cookie: one place decides its name and attributes, for route handlers, server actions
 * and the proxy alike.
 *
 * - `__Host-session` when APP_URL is https: the prefix makes the browser refuse the cookie unless it is
 *   Secure, Path=/ and without Domain, so a sibling subdomain cannot plant or overwrite it.
 * - `Secure` whenever the browser will keep it: on https, and on loopback hosts (localhost, 127.0.0.1,
 *   [::1]), which browsers treat as secure contexts. Plain http on any other host (a LAN address in
 *   development) gets no Secure flag, since the browser would drop the cookie and nobody could sign in.
 *   Non-browser clients (supertest, curl) drop Secure cookies over http: tests read Set-Cookie and send
 *   the Cookie header themselves.
 * - `SameSite=Lax`, `HttpOnly`, `Path=/`, never `Domain`, `Max-Age` up to the session's absolute expiry.
 * - Read from the Cookie header only: never from a query string or an Authorization header.
 */

export const DEFAULT_APP_URL = "http://localhost:3000";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export interface SessionCookieAttributes {
  readonly httpOnly: true;
  readonly secure: boolean;
  readonly sameSite: "lax";
  readonly path: "/";
  /** Seconds; 0 clears the cookie. */
  readonly maxAge: number;
}

function appUrlFromEnv(): string {
  const value = process.env.APP_URL;
  return value && value.trim() !== "" ? value.trim() : DEFAULT_APP_URL;
}

function parseUrl(appUrl: string): URL {
  try {
    return new URL(appUrl);
  } catch {
    return new URL(DEFAULT_APP_URL);
  }
}

export function isHttpsAppUrl(appUrl: string = appUrlFromEnv()): boolean {
  return parseUrl(appUrl).protocol === "https:";
}

export function sessionCookieIsSecure(appUrl: string = appUrlFromEnv()): boolean {
  const url = parseUrl(appUrl);
  return url.protocol === "https:" || LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith(".localhost");
}

export function sessionCookieName(appUrl: string = appUrlFromEnv()): string {
  return isHttpsAppUrl(appUrl) ? "__Host-session" : "session";
}

/** Seconds from `now` until `expiresAt`, never negative. */
export function maxAgeUntil(expiresAt: Date, now: Date = new Date()): number {
  return Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
}

/** For `cookies().set(name, value, attributes)` in server actions and `NextResponse.cookies.set`. */
export function sessionCookieAttributes(
  expiresAt: Date,
  now: Date = new Date(),
  appUrl: string = appUrlFromEnv(),
): SessionCookieAttributes {
  return { httpOnly: true, secure: sessionCookieIsSecure(appUrl), sameSite: "lax", path: "/", maxAge: maxAgeUntil(expiresAt, now) };
}

function serialize(name: string, value: string, attributes: SessionCookieAttributes, expires: Date): string {
  const parts = [`${name}=${value}`, "Path=/", `Max-Age=${attributes.maxAge}`, `Expires=${expires.toUTCString()}`, "HttpOnly"];
  if (attributes.secure) parts.push("Secure");
  parts.push("SameSite=Lax");
  return parts.join("; ");
}

/** A Set-Cookie header value carrying `token` until the session's absolute expiry. */
export function serializeSessionCookie(
  token: string,
  expiresAt: Date,
  now: Date = new Date(),
  appUrl: string = appUrlFromEnv(),
): string {
  // A JWT is base64url with dots: nothing that needs escaping in a cookie value. Anything else is a bug.
  if (!/^[A-Za-z0-9._-]+$/.test(token)) throw new TypeError("session token is not cookie-safe");
  const attributes = sessionCookieAttributes(expiresAt, now, appUrl);
  return serialize(sessionCookieName(appUrl), token, attributes, new Date(now.getTime() + attributes.maxAge * 1000));
}

/** A Set-Cookie header value that makes the browser forget the session cookie. */
export function clearSessionCookie(appUrl: string = appUrlFromEnv()): string {
  const attributes: SessionCookieAttributes = { ...sessionCookieAttributes(new Date(0), new Date(0), appUrl), maxAge: 0 };
  return serialize(sessionCookieName(appUrl), "", attributes, new Date(0));
}

/** Cookie pairs of a Cookie header, first occurrence of a name winning (the most specific path comes first). */
export function parseCookieHeader(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(";")) {
    const index = pair.indexOf("=");
    if (index <= 0) continue;
    const name = pair.slice(0, index).trim();
    let value = pair.slice(index + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (name !== "" && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** The session token presented by the client, from the Cookie header only; null when absent or empty. */
export function readSessionCookie(
  source: Request | Headers | string | null | undefined,
  appUrl: string = appUrlFromEnv(),
): string | null {
  const header =
    source == null
      ? null
      : typeof source === "string"
        ? source
        : source instanceof Headers
          ? source.get("cookie")
          : source.headers.get("cookie");
  const value = parseCookieHeader(header).get(sessionCookieName(appUrl));
  // Bounded so a giant cookie never reaches the JWT verifier.
  return value && value.length <= 4096 ? value : null;
}
