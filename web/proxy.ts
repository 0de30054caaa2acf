import type { NextRequest } from "next/server";
import { pageProxy } from "../src/interfaces/web/page-proxy";

/**
 * Runs before every page (Node.js runtime): CSP nonce, early session check, rotation of the session
 * cookie. The logic lives in src/interfaces/web/page-proxy.ts; API routes check sessions themselves.
 */
export function proxy(request: NextRequest) {
  return pageProxy(request);
}

export const config = {
  matcher: [
    // Everything except the JSON API and Next.js's static files, which need neither a nonce nor a session.
    "/((?!api(?:/|$)|_next/static|_next/image|favicon.ico|robots.txt).*)",
    // API paths only when percent-encoded: one that does not decode gets a JSON 404 instead of a 500.
    "/api/(.*%.*)",
  ],
};
