import type { ServerResponse } from "node:http";
import { requestScopes, type RequestScope } from "./request-scope";

/**
 * While PostgreSQL restarts, a page whose session check passed (from the session cache) may still
 * fail on its own queries; Next.js then renders its error page with a fixed 500. API routes answer
 * such a failure with a JSON 503 themselves; a page cannot choose its status. So here, at the server
 * edge, a page about to be answered 500 after a backing service was found unavailable
 * (`markUnavailable`, called by the pages' use-case accessor) is answered instead with a 503,
 * `Retry-After` and a short page that reloads itself: the outage is temporary, and the next request
 * after it works as before. Any other 500 stays a 500.
 */
const RETRY_AFTER_SECONDS = 5;
/** A failure seen on another request this recently counts too (a scope lost in some async hop). */
const RECENT_MS = 3_000;

const BODY = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}"><title>Temporarily unavailable</title></head>
<body><main><h1>Temporarily unavailable</h1><p>The service is briefly unavailable. This page tries again in a few seconds.</p></main></body></html>
`;

const HEADERS: Record<string, string> = {
  "Content-Type": "text/html; charset=utf-8",
  "Retry-After": String(RETRY_AFTER_SECONDS),
  "Cache-Control": "no-store",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
};

function unavailable(scope: RequestScope): boolean {
  return scope.unavailable || Date.now() - requestScopes().lastUnavailableAt < RECENT_MS;
}

export function guardPageOutage(res: ServerResponse, scope: RequestScope): void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end };
  let replaced = false;

  const replace = (): void => {
    replaced = true;
    for (const name of res.getHeaderNames()) if (name !== "x-request-id" && name !== "set-cookie") res.removeHeader(name);
    original.writeHead.call(res, 503, HEADERS);
    (original.end as (chunk: string) => ServerResponse).call(res, BODY);
  };
  const wouldFail = (status: number): boolean => !replaced && !res.headersSent && status === 500 && unavailable(scope);
  const callbackOf = (args: unknown[]): (() => void) | undefined => args.find((arg): arg is () => void => typeof arg === "function");

  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (replaced) return this;
    if (wouldFail(status)) {
      replace();
      return this;
    }
    return (original.writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as ServerResponse["writeHead"];

  res.write = function (this: ServerResponse, ...args: unknown[]) {
    if (!replaced && wouldFail(this.statusCode)) replace();
    if (replaced) {
      callbackOf(args)?.();
      return true;
    }
    return (original.write as (...a: unknown[]) => boolean).apply(this, args);
  } as ServerResponse["write"];

  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (!replaced && wouldFail(this.statusCode)) replace();
    if (replaced) {
      callbackOf(args)?.();
      return this;
    }
    return (original.end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["end"];
}
