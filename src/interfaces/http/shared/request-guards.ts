import { edgeErrorResponse } from "./error-table";

/**
 * Checks every state-changing request passes before its body is read, parsed or hashed: where it comes
 * from (CSRF, login CSRF included), what it says it is (JSON only) and how big it is.
 */

/** Far above any legitimate body here (a 128-character password is < 1 KiB even in 4-byte characters). */
export const MAX_BODY_BYTES = 16 * 1024;

export type Guarded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly response: Response };

const pass = <T>(value: T): Guarded<T> => ({ ok: true, value });
const refuse = (response: Response): Guarded<never> => ({ ok: false, response });

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

function crossSite(message: string): Response {
  return edgeErrorResponse("CROSS_SITE_REQUEST", message);
}

/**
 * Same-origin only. `Origin` must be exactly APP_URL's origin: a sibling subdomain (same site, other
 * origin) and `Origin: null` (sandboxed frames, some redirects) are refused. `Sec-Fetch-Site` must be
 * `same-origin` (or `none`: typed by the user); a `Referer` must be same-origin. The Host header is never
 * consulted. A request with none of the three comes from a non-browser client, which cannot carry a
 * victim's cookie; browsers always send `Origin` on POST and DELETE.
 */
export function checkOrigin(request: Request, appOrigin: string): Guarded<void> {
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== appOrigin) return refuse(crossSite("Requests from another site are not accepted."));
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite !== null && fetchSite !== "same-origin" && fetchSite !== "none") {
    return refuse(crossSite("Requests from another site are not accepted."));
  }
  const referer = request.headers.get("referer");
  if (referer !== null && referer !== "" && originOf(referer) !== appOrigin) {
    return refuse(crossSite("Requests from another site are not accepted."));
  }
  return pass(undefined);
}

function isJson(contentType: string): boolean {
  const [type, ...params] = contentType.split(";").map((part) => part.trim().toLowerCase());
  if (type !== "application/json") return false;
  return params.every((param) => param === "" || param === "charset=utf-8" || param === 'charset="utf-8"');
}

function declaredLength(request: Request): number | null {
  const header = request.headers.get("content-length");
  if (header === null) return null;
  return /^\d+$/.test(header.trim()) ? Number(header.trim()) : Number.NaN;
}

function unsupported(): Response {
  return edgeErrorResponse("UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json.");
}

function tooLarge(): Response {
  return edgeErrorResponse("PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
}

/** Reads at most `limit` bytes, stopping (and cancelling the upload) as soon as the stream goes over. */
export async function readLimited(request: Request, limit: number): Promise<Guarded<Uint8Array>> {
  if (request.body === null) return pass(new Uint8Array(0));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return refuse(tooLarge());
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return pass(bytes);
}

export interface ReadJsonOptions {
  readonly appOrigin: string;
  /** Routes without a body (sign-out) also accept a request with no body and no Content-Type. */
  readonly bodyOptional?: boolean;
  readonly limit?: number;
}

/**
 * The full gate of a state-changing route: origin, content type, size (declared, then counted while
 * reading), UTF-8 and JSON syntax. Yields the parsed JSON value (`undefined` for an allowed empty body).
 */
export async function readJsonBody(request: Request, options: ReadJsonOptions): Promise<Guarded<unknown>> {
  const limit = options.limit ?? MAX_BODY_BYTES;
  const origin = checkOrigin(request, options.appOrigin);
  if (!origin.ok) return origin;

  const contentType = request.headers.get("content-type");
  const length = declaredLength(request);
  if (contentType === null && options.bodyOptional) {
    // No Content-Type is fine only for a truly empty body: an HTML form always sends one.
    if (length !== null && length !== 0) return refuse(unsupported());
    const read = await readLimited(request, 0);
    return read.ok ? pass(undefined) : refuse(unsupported());
  }
  if (contentType === null || !isJson(contentType)) return refuse(unsupported());
  if (length !== null && !(length <= limit)) return refuse(tooLarge());

  const read = await readLimited(request, limit);
  if (!read.ok) return read;
  if (read.value.byteLength === 0) {
    if (options.bodyOptional) return pass(undefined);
    return refuse(edgeErrorResponse("MALFORMED_JSON", "The request body is empty; send a JSON object."));
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(read.value);
  } catch {
    return refuse(edgeErrorResponse("MALFORMED_JSON", "The request body is not valid UTF-8."));
  }
  try {
    return pass(JSON.parse(text) as unknown);
  } catch {
    return refuse(edgeErrorResponse("MALFORMED_JSON", "The request body is not valid JSON."));
  }
}
