import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getLogger, getTelemetry } from "../../infrastructure/di";
import { learnAllowedMethods, methodAnswer, rawMethodAnswer } from "./method-policy";
import { guardPageOutage } from "./page-outage";
import { requestScopes, type RequestScope } from "./request-scope";
import { isPagePath, routeTemplateOf } from "./route-templates";
import { strictTransportSecurity } from "../web/security-headers";

/**
 * The server edge: the socket-level preload (web/client-ip.cjs) hands every HTTP request here before
 * Next.js routes it, so pages, route handlers, redirects answered by the proxy, static files and
 * load-shed refusals all pass one place. Route handlers and pages could each log for themselves,
 * but neither sees the status Next.js finally writes (a page's error, a proxy redirect), and pages
 * cannot set headers. Here every request gets:
 *
 * - a request id: the client's `X-Request-Id` when well-formed, else a new UUID, passed on to the
 *   app in the request and echoed in the response;
 * - one JSON log line when it ends (method, path without query, status, ms, request id, route);
 * - its duration in the metrics, labelled by route template;
 * - for pages, a 503 "temporarily unavailable" page instead of Next.js's 500 when the database
 *   failed under it (see page-outage.ts).
 */
export const REQUEST_ID_HEADER = "x-request-id";
const WELL_FORMED_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_LOGGED_PATH = 2048;

export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === "string" && WELL_FORMED_ID.test(given) ? given : randomUUID();
}

/** The path of a request target, without query: origin-form as is, absolute-form reduced to its path. */
export function pathOf(target: string | undefined): string {
  const raw = target ?? "/";
  let path = raw;
  if (!raw.startsWith("/")) {
    try {
      path = new URL(raw).pathname;
    } catch {
      path = raw === "*" ? "*" : "/";
    }
  }
  const query = path.indexOf("?");
  return (query < 0 ? path : path.slice(0, query)).slice(0, MAX_LOGGED_PATH);
}

/**
 * RFC 9112 §3.2.2: a server must accept a request target in absolute form (`POST http://host/path`).
 * Whatever host it names, it is served as the same path on this site; Next.js would otherwise build
 * its URLs (and redirects) from the foreign authority.
 */
function toOriginForm(req: IncomingMessage): void {
  const target = req.url ?? "/";
  if (target.startsWith("/") || target === "*") return;
  try {
    const url = new URL(target);
    req.url = `${url.pathname}${url.search}`;
  } catch {
    req.url = "/";
  }
}

function setRequestHeader(req: IncomingMessage, name: string, value: string): void {
  req.headers[name] = value;
  if (Array.isArray(req.rawHeaders)) {
    for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) if (String(req.rawHeaders[i]).toLowerCase() === name) req.rawHeaders.splice(i, 2);
    req.rawHeaders.push(name, value);
  }
}

export function observeRequest<T>(req: IncomingMessage, res: ServerResponse, next: () => T): T {
  const started = performance.now();
  const id = requestIdOf(req.headers[REQUEST_ID_HEADER]);
  setRequestHeader(req, REQUEST_ID_HEADER, id);
  res.setHeader("X-Request-Id", id);
  // Here rather than in the proxy, so that the prerendered pages the proxy never sees carry it too.
  const hsts = strictTransportSecurity(process.env.APP_URL);
  if (hsts) res.setHeader("Strict-Transport-Security", hsts);
  toOriginForm(req);
  const method = req.method ?? "GET";
  const path = pathOf(req.url);
  res.once("close", () => {
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const route = routeTemplateOf(path);
    const status = res.statusCode;
    try {
      getTelemetry().request(method, route, status, ms / 1000);
      getLogger().info("request", { method, path, status, ms, requestId: id, route, ...(res.writableFinished ? {} : { aborted: true }) });
    } catch {
      /* a log or metric must never break serving */
    }
  });
  const refusal = methodAnswer(method, path);
  if (refusal) {
    res.writeHead(refusal.status, { ...refusal.headers, "Content-Length": String(Buffer.byteLength(refusal.body)) });
    res.end(method === "HEAD" ? undefined : refusal.body);
    return true as T;
  }
  const scope: RequestScope = { unavailable: false };
  if (isPagePath(path)) guardPageOutage(res, scope);
  return requestScopes().storage.run(scope, next);
}

/** The key under which the preload finds `observeRequest` (one process, one realm). */
export const OBSERVE_REQUEST_KEY = Symbol.for("nextauth-hex:observe-request");

/** The key under which the preload finds the answer for a request line the HTTP parser refused. */
export const RAW_METHOD_ANSWER_KEY = Symbol.for("nextauth-hex:raw-method-answer");

export function installRequestObserver(): void {
  const global = globalThis as Record<symbol, unknown>;
  global[OBSERVE_REQUEST_KEY] = observeRequest;
  global[RAW_METHOD_ANSWER_KEY] = rawMethodAnswer;
  learnAllowedMethods().catch((error: unknown) => getLogger().warn(`[server] could not read the routes' Allow: ${String(error)}`));
}
