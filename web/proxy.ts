import type { NextRequest } from "next/server";
import { pageProxy } from "../src/interfaces/web/page-proxy";

/**
 * Runs before every page (Node.js runtime): CSP nonce, early session check, rotation of the session
 * cookie. The logic lives in src/interfaces/web/page-proxy.ts; API routes check sessions themselves.
 */
export function proxy(request: NextRequest) {
  return pageProxy(request);
}

// Literal, as Next.js reads it at build time. The pages of static-pages.cjs are left out of the first
// entry and come back with each of PER_REQUEST_WHEN: a plain anonymous GET of them is a static page.
export const config = {
  matcher: [
    // Everything except the JSON API, Next.js's static files and the static pages, which need neither a nonce nor a session.
    "/((?!api(?:/|$)|_next/static|_next/image|favicon.ico|robots.txt|sign-in$|forgot-password$).*)",
    // API paths only when percent-encoded: one that does not decode gets a JSON 404 instead of a 500.
    "/api/(.*%.*)",
    { source: "/(sign-in|forgot-password)", has: [{ type: "cookie", key: "session" }] },
    { source: "/(sign-in|forgot-password)", has: [{ type: "cookie", key: "__Host-session" }] },
    { source: "/(sign-in|forgot-password)", has: [{ type: "query", key: "next" }] },
    { source: "/(sign-in|forgot-password)", has: [{ type: "query", key: "notice" }] },
    { source: "/(sign-in|forgot-password)", has: [{ type: "header", key: "next-action" }] },
    { source: "/(sign-in|forgot-password)", has: [{ type: "header", key: "content-type" }] },
  ],
};
