/**
 * Security headers that depend on the request or on run-time configuration, set by the proxy on every
 * page response. Static ones (nosniff, COOP, Referrer-Policy) live in web/next.config.ts so that they
 * also cover static assets and route handlers.
 *
 * Scripts, two equally strict forms, never 'unsafe-inline' or 'unsafe-eval' in production:
 * - pages rendered per request: a fresh nonce per request with 'strict-dynamic'. Next.js reads the
 *   nonce from the Content-Security-Policy request header set by the proxy and puts it on its own
 *   scripts. Such a page must render at request time (it reads the session or calls connection());
 * - pages prerendered at build time (/sign-in, /forgot-password, not-found): their scripts are
 *   fixed, so the policy lists the inline ones by the SHA-256 of their text and allows external ones
 *   only from the build's assets, `<APP_URL>/_next/static/`. An injected inline script matches no
 *   hash, as it would not carry the nonce. See static-page-csp.ts.
 *
 * Styles: the app ships one stylesheet and no style attributes, so production allows only 'self'
 * (plus the nonce on per-request pages). Development adds 'unsafe-eval' (React rebuilds server error
 * stacks with eval) and 'unsafe-inline' styles for the error overlay.
 */
import { isHttpsAppUrl } from "../http/shared/session-cookie";

export interface CspOptions {
  readonly development: boolean;
  readonly https: boolean;
}

/**
 * `nonce` for a page rendered per request; for a prerendered one `scriptHashes` ('sha256-…') of its
 * inline scripts and `scriptPath`, the absolute URL prefix its external scripts come from.
 */
export type ScriptSources = { readonly nonce: string } | { readonly scriptHashes: readonly string[]; readonly scriptPath: string };

export function newNonce(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}

export function contentSecurityPolicy({ development, https, ...sources }: CspOptions & ScriptSources): string {
  // With 'strict-dynamic' a browser ignores 'self' (it stays for older ones); the nonce's trust passes
  // to the chunks Next.js's scripts load. Without a nonce the path source allows those chunks.
  const scripts =
    "nonce" in sources
      ? ["'self'", `'nonce-${sources.nonce}'`, "'strict-dynamic'"]
      : [...sources.scriptHashes.map((hash) => `'${hash}'`), sources.scriptPath];
  const styleNonce = "nonce" in sources ? ` 'nonce-${sources.nonce}'` : "";
  const directives = [
    "default-src 'self'",
    `script-src ${[...scripts, ...(development ? ["'unsafe-eval'"] : [])].join(" ")}`,
    `style-src 'self'${development ? " 'unsafe-inline'" : styleNonce}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
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
