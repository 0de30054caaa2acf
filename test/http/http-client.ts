/**
 * A small stand-in for a browser tab, over supertest: keeps the session cookie like a browser would
 * (read from Set-Cookie, sent back in Cookie), sends the site's own Origin on every request unless told
 * otherwise, and exposes the raw response for assertions.
 */
import { request as httpRequest } from "node:http";
import request from "supertest";
import type { CapturedMail } from "../support/smtp-capture";

export interface SetCookie {
  readonly name: string;
  readonly value: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly raw: string;
}

export function parseSetCookie(raw: string): SetCookie {
  const [pair, ...rest] = raw.split(";");
  const index = pair!.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const [key, ...value] = part.trim().split("=");
    if (key) attributes.set(key.toLowerCase(), value.join("="));
  }
  return { name: pair!.slice(0, index).trim(), value: pair!.slice(index + 1).trim(), attributes, raw };
}

export function setCookies(response: { headers: Record<string, unknown> }): SetCookie[] {
  const header = response.headers["set-cookie"];
  const list = Array.isArray(header) ? header : typeof header === "string" ? [header] : [];
  return list.map((raw) => parseSetCookie(String(raw)));
}

export const SESSION_COOKIE = "session";

export function sessionCookieOf(response: { headers: Record<string, unknown> }): SetCookie | undefined {
  return setCookies(response).find((cookie) => cookie.name === SESSION_COOKIE);
}

export interface Send {
  readonly body?: unknown;
  /** A raw body sent as is (e.g. malformed JSON). */
  readonly raw?: string | Buffer;
  readonly headers?: Record<string, string>;
  /** null: send no Origin header at all. Default: the site's own origin. */
  readonly origin?: string | null;
  /** Default application/json when there is a body. null: none. */
  readonly contentType?: string | null;
  /** Send this cookie instead of the tab's own (null: none). */
  readonly cookie?: string | null;
}

export type Response = request.Response;

export class Tab {
  /** The session cookie value currently held, as a browser would. */
  session: string | null = null;

  private extraHeaders: Record<string, string> = {};

  /** Sends these headers on every request of this tab (e.g. a forged X-Forwarded-For). */
  withHeaders(headers: Record<string, string>): this {
    this.extraHeaders = { ...this.extraHeaders, ...headers };
    return this;
  }

  constructor(
    readonly baseUrl: string,
    readonly userAgent = "Mozilla/5.0 (X11; Linux x86_64) http-test",
    /** Connect from this loopback address (127.0.0.0/8), so the server sees another client IP. */
    readonly localAddress?: string,
  ) {}

  async send(method: "GET" | "POST" | "DELETE" | "PUT" | "PATCH", path: string, options: Send = {}): Promise<Response> {
    const response = this.localAddress ? await this.sendFrom(this.localAddress, method, path, options) : await this.sendWithSupertest(method, path, options);
    const issued = sessionCookieOf(response);
    if (issued) this.session = issued.value === "" || issued.attributes.get("max-age") === "0" ? null : issued.value;
    return response;
  }

  private headersFor(options: Send): Record<string, string> {
    const headers: Record<string, string> = { "User-Agent": this.userAgent, Accept: "application/json" };
    const origin = options.origin === undefined ? this.baseUrl : options.origin;
    if (origin !== null) headers.Origin = origin;
    const cookie = options.cookie === undefined ? this.session : options.cookie;
    if (cookie) headers.Cookie = `${SESSION_COOKIE}=${cookie}`;
    const hasBody = options.body !== undefined || options.raw !== undefined;
    const contentType = options.contentType === undefined ? (hasBody ? "application/json" : null) : options.contentType;
    if (contentType !== null) headers["Content-Type"] = contentType;
    return { ...headers, ...this.extraHeaders, ...options.headers };
  }

  /** supertest cannot pick the local address; plain node:http can. */
  private sendFrom(localAddress: string, method: string, path: string, options: Send): Promise<Response> {
    const url = new URL(path, this.baseUrl);
    const payload = options.raw !== undefined ? options.raw : options.body !== undefined ? JSON.stringify(options.body) : undefined;
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method, localAddress, headers: this.headersFor(options) },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => {
            let body: unknown = {};
            try {
              body = text ? JSON.parse(text) : {};
            } catch {
              body = {};
            }
            resolve({ status: res.statusCode, headers: res.headers, body, text } as unknown as Response);
          });
        },
      );
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  private async sendWithSupertest(method: string, path: string, options: Send): Promise<Response> {
    const agent = request(this.baseUrl);
    let call = (agent as unknown as Record<string, (p: string) => request.Test>)[method.toLowerCase()]!.call(agent, path);
    for (const [name, value] of Object.entries(this.headersFor(options))) call = call.set(name, value);
    if (options.raw !== undefined) call = call.send(options.raw as string);
    else if (options.body !== undefined) call = call.send(JSON.stringify(options.body));
    return call.ok(() => true);
  }

  get(path: string, options?: Send) {
    return this.send("GET", path, options);
  }
  post(path: string, body?: unknown, options: Send = {}) {
    return this.send("POST", path, { ...options, body });
  }
  delete(path: string, body?: unknown, options: Send = {}) {
    return this.send("DELETE", path, { ...options, body });
  }
}

let counter = 0;

/** A unique address per call, so tests never collide on EMAIL_TAKEN or rate-limit buckets. */
export function uniqueEmail(label = "user"): string {
  counter += 1;
  return `${label}.${Date.now().toString(36)}.${counter}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export const PASSWORD = "correct horse battery staple 7";

/** The token of a link `${appUrl}${path}?token=…` in a captured mail. */
export function linkToken(mail: CapturedMail, appUrl: string, path: string): string {
  const escaped = `${appUrl}${path}`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${escaped}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text) ?? new RegExp(`${escaped}\\?token=([A-Za-z0-9_-]+)`).exec(mail.html);
  if (!match) throw new Error(`no ${path} link in mail "${mail.subject}":\n${mail.text}`);
  return match[1]!;
}

/** Signs up a fresh account in `tab` and answers its e-mail. */
export async function signUp(tab: Tab, email = uniqueEmail(), password = PASSWORD): Promise<{ email: string; password: string; userId: string }> {
  const response = await tab.post("/api/auth/sign-up", { email, password });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { email, password, userId: response.body.user.id };
}
