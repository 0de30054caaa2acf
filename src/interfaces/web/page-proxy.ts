import { NextResponse, type NextRequest } from "next/server";
import type { RequestContext } from "../../application/shared/request-context";
import { clientIp, userAgent } from "../http/shared/client-ip";
import { edgeErrorResponse } from "../http/shared/error-table";
import { checkOrigin } from "../http/shared/request-guards";
import { isHttpsAppUrl, parseCookieHeader, readSessionCookie, sessionCookieAttributes, sessionCookieName } from "../http/shared/session-cookie";
import { linkPurposeOf, linkTokenCookieAttributes, linkTokenCookieName, wellFormedLinkToken } from "./shared/link-token";
import { DEVICE_PATH, userCodeCookieAttributes, userCodeCookieName, wellFormedUserCode } from "./devices/user-code-cookie";
import { safeNextPath, signInUrlFor } from "./shared/safe-next-path";
import { contentSecurityPolicy, newNonce, strictTransportSecurity } from "./security-headers";
import { appUrl, trustProxy, useCase } from "./shared/use-cases";
import { describeError, getLogger } from "../../infrastructure/di";

/**
 * The proxy in front of every page (web/proxy.ts delegates here).
 *
 * 1. A fresh CSP nonce per request, handed to Next.js through the request's CSP header.
 * 2. An early session check on the pages that care about one, with the real AuthenticateSession
 *    (the session row, not only the JWT signature), so a revoked, expired, idle or rotated-out
 *    session is refused on the very next request:
 *    - /dashboard and below, /device and /reauthenticate, without a valid session → /sign-in?next=<path>, before anything renders;
 *    - /sign-in and /sign-up with a valid session → `next` if it is a safe path, else /dashboard.
 * 3. An e-mailed link's token is moved from the URL into a short-lived cookie (see link-token.ts).
 * 4. Rotation for page requests: pages cannot set cookies, so when AuthenticateSession hands back a
 *    successor token the proxy sets it on the response and rewrites the request's Cookie header, so
 *    the page's own check sees the successor (already active: it rotates nothing again).
 *
 * It is only the early check: pages and server actions authenticate again through the application
 * layer, and no header a client can send stands in for that.
 */

const PROTECTED = /^\/(?:dashboard(?:\/|$)|device\/?$|reauthenticate\/?$)/;
const STATIC_TWIN = /^\/(sign-in|forgot-password)\/static\/?$/;
const GUEST_ONLY = /^\/(?:sign-in|sign-up)\/?$/;
/** Pages that read the session themselves; only there is the lookup worth its cost. */
const READS_SESSION = /^\/(?:$|dashboard(?:\/|$)|device\/?$|reauthenticate\/?$|sign-in\/?$|sign-up\/?$|verify-email\/?$|invite\/?$)/;

type Outcome =
  | { readonly kind: "anonymous" }
  | { readonly kind: "refused" }
  | { readonly kind: "signed-in"; readonly rotated?: { readonly token: string; readonly expiresAt: Date } };

async function authenticate(request: NextRequest): Promise<Outcome> {
  const token = readSessionCookie(request.headers, appUrl());
  if (!token) return { kind: "anonymous" };
  const context: RequestContext = { ip: clientIp(request.headers, trustProxy()), userAgent: userAgent(request.headers) };
  const authenticateSession = await useCase("authenticateSession");
  const result = await authenticateSession.execute({ token, context });
  if (!result.ok) return { kind: "refused" };
  const { session, token: successor } = result.value;
  return successor ? { kind: "signed-in", rotated: { token: successor, expiresAt: session.expiresAt } } : { kind: "signed-in" };
}

function cookieHeaderWith(header: string | null, name: string, value: string | null): string {
  const cookies = parseCookieHeader(header);
  if (value === null) cookies.delete(name);
  else cookies.set(name, value);
  return [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}

function withPageHeaders<T extends Response>(response: T, csp: string): T {
  response.headers.set("Content-Security-Policy", csp);
  const hsts = strictTransportSecurity(appUrl());
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

function expireSessionCookie(response: NextResponse): void {
  response.cookies.set(sessionCookieName(appUrl()), "", { ...sessionCookieAttributes(new Date(0), new Date(0), appUrl()), maxAge: 0 });
}

function redirectTo(request: NextRequest, location: string, status: 303 | 307): NextResponse {
  const response = NextResponse.redirect(new URL(location, request.nextUrl.origin), status);
  // A redirect decided by the session must never be replayed from a cache for another visitor.
  response.headers.set("Cache-Control", "private, no-store");
  return response;
}

/**
 * API paths come here only when they hold a percent sign (see web/proxy.ts). One that does not decode
 * names no route; Next.js would answer it with a plain-text 500 while decoding the route's parameters.
 */
function undecodableApiPath(pathname: string): Response | null {
  try {
    for (const segment of pathname.split("/")) decodeURIComponent(segment);
    return null;
  } catch {
    return edgeErrorResponse("NOT_FOUND", "There is no such API route.");
  }
}

/** Whether a path, once decoded and its dot segments resolved as Next.js does, is under /api. */
function staysInApi(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return pathname === "/api" || pathname.startsWith("/api/");
  }
  const resolved: string[] = [];
  for (const segment of decoded.split("/")) {
    if (segment === "..") resolved.pop();
    else if (segment !== "." && segment !== "") resolved.push(segment);
  }
  return resolved[0] === "api";
}

/** A page POST that claims to be a multipart form but is none (no boundary, or a body that does not parse). */
async function malformedForm(request: NextRequest): Promise<boolean> {
  if (request.method === "GET" || request.method === "HEAD") return false;
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(type)) return false;
  try {
    await request.clone().formData();
    return false;
  } catch {
    return true;
  }
}

export async function pageProxy(request: NextRequest): Promise<Response> {
  const { pathname, search } = request.nextUrl;
  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce, development: process.env.NODE_ENV === "development", https: isHttpsAppUrl(appUrl()) });
  // Before anything else: a percent-encoded /api path can resolve to a page (/api/%2e%2e is /); one that
  // stays in /api gets the API's own JSON answer.
  if (!staysInApi(pathname) && (await malformedForm(request))) {
    // A form post whose multipart body does not parse made Next.js answer a 500 with a logged stack.
    return withPageHeaders(
      new NextResponse("This form submission could not be read. Reload the page and send the form again.", {
        status: 400,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      }),
      csp,
    );
  }
  if (pathname === "/api" || pathname.startsWith("/api/")) return undecodableApiPath(pathname) ?? NextResponse.next();
  const twinOf = STATIC_TWIN.exec(pathname);
  if (twinOf) {
    // A prerendered twin (web/static-pages.cjs) is reached only through its page's rewrite, which the
    // proxy never sees; asked for by name, it is that page.
    return withPageHeaders(redirectTo(request, `/${twinOf[1]}${search}`, 307), csp);
  }

  if (request.method !== "GET" && request.method !== "HEAD" && !checkOrigin(request, new URL(appUrl()).origin).ok) {
    // A cross-site form post or server action call. Next.js refuses the action too, but as a 500 with a
    // logged stack; the same origin rule as the API answers it first, as the refusal it is.
    return withPageHeaders(
      new NextResponse("Requests from another site are not accepted.", {
        status: 403,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      }),
      csp,
    );
  }

  const forwarded = new Headers(request.headers);
  forwarded.set("content-security-policy", csp);
  forwarded.set("x-nonce", nonce);
  if (request.method !== "GET" && request.method !== "HEAD") {
    // The origin was checked against APP_URL above. Next.js checks a server action's Origin against
    // X-Forwarded-Host (or Host), which a client may set at will: a spoofed one turned a valid post
    // into a 500, and a TLS proxy that rewrites Host would break every form. APP_URL is the site.
    forwarded.set("x-forwarded-host", new URL(appUrl()).host);
  }

  const readOnly = request.method === "GET" || request.method === "HEAD";
  const linkPurpose = linkPurposeOf(pathname);
  if (linkPurpose && readOnly && request.nextUrl.searchParams.has("token")) {
    const response = redirectTo(request, pathname, 303);
    response.headers.set("Referrer-Policy", "no-referrer");
    const token = wellFormedLinkToken(request.nextUrl.searchParams.get("token"));
    const name = linkTokenCookieName(linkPurpose, appUrl());
    if (token) response.cookies.set(name, token, linkTokenCookieAttributes(linkPurpose, appUrl()));
    else response.cookies.set(name, "", linkTokenCookieAttributes(linkPurpose, appUrl(), 0));
    return withPageHeaders(response, csp);
  }

  if (pathname === DEVICE_PATH && readOnly && request.nextUrl.searchParams.has("user_code")) {
    // verification_uri_complete: the code moves into the page's cookie (see devices/user-code-cookie.ts).
    const response = redirectTo(request, DEVICE_PATH, 303);
    response.headers.set("Referrer-Policy", "no-referrer");
    const code = wellFormedUserCode(request.nextUrl.searchParams.get("user_code"));
    if (code) response.cookies.set(userCodeCookieName(appUrl()), code, userCodeCookieAttributes(appUrl()));
    else response.cookies.set(userCodeCookieName(appUrl()), "", userCodeCookieAttributes(appUrl(), 0));
    return withPageHeaders(response, csp);
  }

  let outcome: Outcome = { kind: "anonymous" };
  if (READS_SESSION.test(pathname)) {
    try {
      outcome = await authenticate(request);
    } catch (error) {
      getLogger().error(`[proxy] session check failed: ${describeError(error)}`, { event: "unavailable" });
      if (PROTECTED.test(pathname)) {
        return withPageHeaders(
          new NextResponse("The service is temporarily unavailable. Try again shortly.", {
            status: 503,
            headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "5", "Cache-Control": "no-store" },
          }),
          csp,
        );
      }
    }
  }
  const signedIn = outcome.kind === "signed-in";

  if (PROTECTED.test(pathname) && !signedIn) {
    // A server action call (fetch with Next-Action) is let through: the action authenticates again and
    // answers with a redirect its client understands. Everything else goes to sign-in right here.
    if (readOnly || !request.headers.has("next-action")) {
      const response = redirectTo(request, signInUrlFor(`${pathname}${search}`), readOnly ? 307 : 303);
      if (outcome.kind === "refused") expireSessionCookie(response);
      return withPageHeaders(response, csp);
    }
  }

  if (GUEST_ONLY.test(pathname) && signedIn && readOnly) {
    const response = redirectTo(request, safeNextPath(request.nextUrl.searchParams.get("next")), 307);
    if (outcome.kind === "signed-in" && outcome.rotated) {
      response.cookies.set(sessionCookieName(appUrl()), outcome.rotated.token, sessionCookieAttributes(outcome.rotated.expiresAt, new Date(), appUrl()));
    }
    return withPageHeaders(response, csp);
  }

  const name = sessionCookieName(appUrl());
  if (outcome.kind === "signed-in" && outcome.rotated) {
    forwarded.set("cookie", cookieHeaderWith(request.headers.get("cookie"), name, outcome.rotated.token));
  } else if (outcome.kind === "refused") {
    // The page then renders as signed out without looking the dead session up a second time.
    forwarded.set("cookie", cookieHeaderWith(request.headers.get("cookie"), name, null));
  }

  const response = NextResponse.next({ request: { headers: forwarded } });
  if (outcome.kind === "signed-in" && outcome.rotated) {
    response.cookies.set(name, outcome.rotated.token, sessionCookieAttributes(outcome.rotated.expiresAt, new Date(), appUrl()));
    response.headers.set("Cache-Control", "private, no-store");
  } else if (outcome.kind === "refused") {
    expireSessionCookie(response);
  }
  return withPageHeaders(response, csp);
}
