import { hashingRefusal } from "../../../infrastructure/di";
import { errorBody } from "./responses";

/**
 * Load shedding before Next.js: the socket-level preload (web/client-ip.cjs) asks this for every
 * request, and a request it answers never reaches Next.js's router.
 *
 * Sign-up and sign-in hash a password. While hashing is at capacity such a request would end in
 * 503 OVERLOADED anyway; answered here it costs a few microseconds instead of a routed request, a
 * parsed body and a query, so a sign-in flood leaves the CPU to everyone else. The route handlers
 * keep the same check (web/client-ip.cjs is a start-script preload: a server started without it
 * still refuses, only later). A refusal is the same for every account and every body.
 */
export interface ShedAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const HASHING_ROUTES = new Set(["/api/auth/sign-in", "/api/auth/sign-up"]);

/** Set on every response by next.config.ts; a shed answer never passes through it, so it sets them itself. */
const HEADERS = {
  "Content-Type": "application/json; charset=utf-8",
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Cross-Origin-Opener-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

export function shedLoad(
  method: string | undefined,
  url: string | undefined,
  currentRefusal: () => { readonly retryAfterSeconds: number } | null = hashingRefusal,
): ShedAnswer | null {
  if (method !== "POST" || url === undefined) return null;
  const query = url.indexOf("?");
  if (!HASHING_ROUTES.has(query < 0 ? url : url.slice(0, query))) return null;
  const refusal = currentRefusal();
  if (!refusal) return null;
  return {
    status: 503,
    headers: { ...HEADERS, "Retry-After": String(Math.max(1, Math.ceil(refusal.retryAfterSeconds))) },
    body: JSON.stringify(errorBody("OVERLOADED", "The server is busy. Try again in a moment.")),
  };
}

/** The key under which the preload finds `shedLoad` (one process, one realm). */
export const SHED_LOAD_KEY = Symbol.for("nextauth-hex:shed-load");

export function installLoadShedding(): void {
  (globalThis as Record<symbol, unknown>)[SHED_LOAD_KEY] = (method: string | undefined, url: string | undefined) => shedLoad(method, url);
}
