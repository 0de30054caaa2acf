/**
 * Raw HTTP for attack tests: every header under the caller's control (Origin, Cookie, Host, odd
 * content types, invalid UTF-8 bodies), all Set-Cookie lines kept, the time of each answer measured,
 * keep-alive connections reused so thousands of requests stay fast.
 */
import http from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import type { CapturedMail } from "./smtp-capture";

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly setCookies: string[];
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: any;
  /** From sending the request to the end of the body. */
  readonly ms: number;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string | string[] | undefined>;
  /** Serialised as JSON (Content-Type application/json unless given). */
  readonly body?: unknown;
  /** Sent as is. */
  readonly raw?: string | Buffer;
  readonly timeoutMs?: number;
  readonly agent?: http.Agent | false;
}

export const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * One request. A kept-alive socket that the server closes for idleness just as a request goes out on
 * it ends in ECONNRESET ("socket hang up") before the server has read anything; Node's documentation
 * says to send such a request again, which is done once here (on a new socket). Any other error, or a
 * reset on a new socket, is the test's to see.
 */
export async function request(baseUrl: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
  try {
    return await requestOnce(baseUrl, path, options);
  } catch (error) {
    if (!(error instanceof StaleSocketError)) throw error;
    return requestOnce(baseUrl, path, options);
  }
}

class StaleSocketError extends Error {}

function requestOnce(baseUrl: string, path: string, options: RequestOptions): Promise<HttpResponse> {
  const url = new URL(path, baseUrl);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name] = value;
  let payload: Buffer | null = null;
  if (options.raw !== undefined) payload = Buffer.isBuffer(options.raw) ? options.raw : Buffer.from(options.raw, "utf8");
  else if (options.body !== undefined) {
    payload = Buffer.from(JSON.stringify(options.body), "utf8");
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
  }
  if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length" || h.toLowerCase() === "transfer-encoding")) {
    headers["Content-Length"] = String(payload.byteLength);
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { method: options.method ?? "GET", hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers, agent: options.agent ?? keepAlive },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          let bytes = Buffer.concat(chunks);
          const encoding = String(res.headers["content-encoding"] ?? "").toLowerCase();
          if (bytes.byteLength > 0 && encoding === "gzip") bytes = gunzipSync(bytes);
          else if (bytes.byteLength > 0 && encoding === "br") bytes = brotliDecompressSync(bytes);
          else if (bytes.byteLength > 0 && encoding === "deflate") bytes = inflateSync(bytes);
          const text = bytes.toString("utf8");
          let json: unknown;
          try {
            json = text === "" ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          const setCookie = res.headers["set-cookie"];
          resolve({ status: res.statusCode ?? 0, headers: res.headers, setCookies: setCookie ?? [], text, json, ms: performance.now() - started });
        });
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) =>
      reject(req.reusedSocket && error.code === "ECONNRESET" ? new StaleSocketError(error.message) : error),
    );
    if (options.timeoutMs) {
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms: ${options.method ?? "GET"} ${path}`)));
    }
    req.end(payload ?? undefined);
  });
}

export interface ParsedCookie {
  readonly name: string;
  readonly value: string;
  /** Attribute names lower-cased; flags map to "". */
  readonly attributes: ReadonlyMap<string, string>;
}

export function parseSetCookie(raw: string): ParsedCookie {
  const [pair, ...rest] = raw.split(";");
  const index = pair!.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const [key, ...value] = part.trim().split("=");
    if (key) attributes.set(key.toLowerCase(), value.join("="));
  }
  return { name: pair!.slice(0, index).trim(), value: pair!.slice(index + 1).trim(), attributes };
}

/** A client that behaves like one browser tab of the site: its Origin, its User-Agent, its cookie. */
export class Browser {
  /** The session cookie value held, as a browser would keep it. */
  cookie: string | null = null;
  /** The site's public origin (APP_URL), which the browser sends as Origin. */
  readonly origin: string;
  /** Sent with every request (e.g. the X-Forwarded-For a trusted proxy would add for this client). */
  headers: Record<string, string> = {};

  constructor(
    readonly baseUrl: string,
    readonly cookieName = "session",
    readonly userAgent = "Mozilla/5.0 (X11; Linux x86_64) security-test",
    origin?: string,
  ) {
    this.origin = origin ?? new URL(baseUrl).origin;
  }

  /** A tab of the site served at `server.url` whose public origin is APP_URL (cookie `__Host-session` on https). */
  static of(server: { url: string; env: Readonly<Record<string, string>> }, userAgent?: string): Browser {
    const appUrl = server.env.APP_URL ?? server.url;
    return new Browser(server.url, appUrl.startsWith("https:") ? "__Host-session" : "session", userAgent, new URL(appUrl).origin);
  }

  async call(method: string, path: string, options: RequestOptions & { origin?: string | null; cookie?: string | null } = {}): Promise<HttpResponse> {
    const headers: Record<string, string | string[] | undefined> = { "User-Agent": this.userAgent, Accept: "application/json" };
    const origin = options.origin === undefined ? (method === "GET" || method === "HEAD" ? null : this.origin) : options.origin;
    if (origin !== null) headers.Origin = origin;
    const cookie = options.cookie === undefined ? this.cookie : options.cookie;
    if (cookie !== null) headers.Cookie = `${this.cookieName}=${cookie}`;
    Object.assign(headers, this.headers, options.headers);
    const response = await request(this.baseUrl, path, { ...options, method, headers });
    this.keep(response);
    return response;
  }

  get(path: string, options: RequestOptions & { origin?: string | null; cookie?: string | null } = {}) {
    return this.call("GET", path, options);
  }

  post(path: string, body?: unknown, options: RequestOptions & { origin?: string | null; cookie?: string | null } = {}) {
    return this.call("POST", path, { ...options, body, headers: body === undefined ? options.headers : { "Content-Type": "application/json", ...options.headers } });
  }

  delete(path: string, body?: unknown, options: RequestOptions & { origin?: string | null; cookie?: string | null } = {}) {
    return this.call("DELETE", path, { ...options, body });
  }

  /** What the browser would do with the answer's session cookie. */
  private keep(response: HttpResponse): void {
    for (const raw of response.setCookies) {
      const cookie = parseSetCookie(raw);
      if (cookie.name !== this.cookieName) continue;
      const maxAge = cookie.attributes.get("max-age");
      this.cookie = cookie.value === "" || maxAge === "0" ? null : cookie.value;
    }
  }
}

let counter = 0;

/** A unique address per call, so tests never share an account or a per-account bucket. */
export function uniqueEmail(label = "user"): string {
  counter += 1;
  return `${label}.${Date.now().toString(36)}.${counter}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export const PASSWORD = "correct horse battery staple 7";

/** The token of the `${appUrl}${path}?token=…` link in a captured mail. */
export function linkToken(mail: CapturedMail, appUrl: string, path: string): string {
  const escaped = `${appUrl}${path}`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`${escaped}\\?token=([A-Za-z0-9_-]+)`);
  const match = pattern.exec(mail.text) ?? pattern.exec(mail.html);
  if (!match) throw new Error(`no ${appUrl}${path} link in mail "${mail.subject}":\n${mail.text}`);
  return match[1]!;
}

/** Every `token=` value in a mail, whatever the host of the link. */
export function tokensIn(mail: CapturedMail): string[] {
  return [...`${mail.text}\n${mail.html}`.matchAll(/token=([A-Za-z0-9_-]+)/g)].map((m) => m[1]!);
}

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split(".");
  const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  return { header: decode(header), payload: decode(payload) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The error shape every refusal must have. */
export function isErrorBody(json: unknown): json is { error: { code: string; message: string; fields?: Record<string, string> } } {
  if (typeof json !== "object" || json === null) return false;
  const error = (json as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === "string" && /^[A-Z][A-Z0-9_]*$/.test(code) && typeof message === "string" && message.length > 0;
}

/** Text that must never reach a client: stack frames, file paths, SQL and driver errors, versions. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat [\w$.<>]+ \(/,
  /\bat (?:async )?\/?[\w./-]+:\d+:\d+/,
  /node_modules/,
  /\/work\/|\/home\/|\/usr\/|webpack-internal|\.next\/server/,
  /\b(?:SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/,
  /QueryFailedError|syntax error at or near|violates (?:unique|foreign key|not-null)|duplicate key value|relation "\w+"|column "\w+"/i,
  /TypeError|ReferenceError|RangeError|SyntaxError: |Unexpected token/,
  /\bpostgres(?:ql)?:\/\//i,
  /Next\.js|\bnode\.js\b|v\d+\.\d+\.\d+/,
];

export function leaks(text: string): RegExp | null {
  return LEAK_PATTERNS.find((pattern) => pattern.test(text)) ?? null;
}
