/**
 * Security headers that depend on the request or on run-time configuration, set by the proxy on every
 * page response it handles (HSTS also at the server edge, src/interfaces/server/request-observer.ts).
 * Static ones (nosniff, COOP, Referrer-Policy) live in web/next.config.ts so that they also cover
 * static assets and route handlers.
 *
 * Scripts: a fresh nonce per request with 'strict-dynamic'. Next.js reads the nonce from the
 * Content-Security-Policy request header set by the proxy and puts it on its own scripts, so no
 * 'unsafe-inline' is needed for scripts. This requires the page to render dynamically (the root
 * layout waits for the request), which an auth product does anyway: nearly every page reads the
 * session cookie. The exception is the plain anonymous /sign-in and /forgot-password, prerendered
 * under the same directives with script hashes instead (web/static-pages.cjs).
 *
 * Styles: the app ships one stylesheet and no style attributes, so production allows only 'self'
 * plus the nonce. Development adds 'unsafe-eval' (React rebuilds server error stacks with eval) and
 * 'unsafe-inline' styles for the error overlay.
 */
import { isHttpsAppUrl } from "../http/shared/session-cookie";
import { SHARED_DIRECTIVES } from "./csp-directives.cjs";

export interface CspOptions {
  readonly nonce: string;
  readonly development: boolean;
  readonly https: boolean;
}

export function newNonce(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}

export function contentSecurityPolicy({ nonce, development, https }: CspOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${development ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    ...SHARED_DIRECTIVES,
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** HSTS only when the public origin is https: sent over plain http it would be ignored or, worse, cached for a dev host. */
export function strictTransportSecurity(appUrl: string | undefined = process.env.APP_URL): string | null {
  return appUrl && isHttpsAppUrl(appUrl) ? "max-age=63072000; includeSubDomains" : null;
}

/** Pages whose URL carries a one-time token: the token must not leak to other sites through Referer. */
export function carriesTokenInUrl(pathname: string): boolean {
  return pathname === "/verify-email" || pathname === "/reset-password";
}
