/** JSON responses. Nothing an API answers may be cached: it is per-user, and some of it sets cookies. */

export const NO_STORE = "no-store";

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly fields?: Readonly<Record<string, string>> };
}

function baseHeaders(extra?: HeadersInit): Headers {
  const headers = new Headers(extra);
  headers.set("Cache-Control", NO_STORE);
  headers.set("X-Content-Type-Options", "nosniff");
  return headers;
}

export function json(status: number, body: unknown, extra?: HeadersInit): Response {
  const headers = baseHeaders(extra);
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers });
}

export function empty(status: number, extra?: HeadersInit): Response {
  return new Response(null, { status, headers: baseHeaders(extra) });
}

export function errorBody(code: string, message: string, fields?: Readonly<Record<string, string>>): ErrorBody {
  return { error: fields && Object.keys(fields).length > 0 ? { code, message, fields } : { code, message } };
}

/** Adds Set-Cookie headers (several may be needed: e.g. a rotated cookie on a handler's own answer). */
export function withCookies(response: Response, cookies: readonly (string | undefined)[]): Response {
  for (const cookie of cookies) if (cookie) response.headers.append("Set-Cookie", cookie);
  return response;
}
