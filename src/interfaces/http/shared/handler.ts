import { Unauthenticated, type DomainError } from "../../../domain/shared/domain-error";
import { getAuth, getEdgeConfig, hashingRefusal, TOKENS, type Auth } from "../../../infrastructure/di";
import { SessionRequired } from "../../../domain/shared/credential";
import { authenticate, authenticatePrincipal, bearerOf, type Authenticated, type Principal } from "./authenticate";
import { parseDto } from "./dto";
import { domainErrorResponse, edgeErrorResponse, internalErrorResponse, type FieldNames } from "./error-table";
import { readJsonBody } from "./request-guards";
import { withCookies } from "./responses";
import { clearSessionCookie, readSessionCookie, serializeSessionCookie } from "./session-cookie";

// What every capability's handlers share: the outer shell, the request gate and DTO parsing, the
// signed-in check, the session cookie and the error answer.

/** Next.js passes dynamic segments as a promise. */
export interface RouteContext {
  readonly params: Promise<Record<string, string | string[] | undefined>>;
}

export type Handler = (request: Request, context?: RouteContext) => Promise<Response>;

/** Every handler's outer shell: whatever is thrown becomes a logged 500 (or 503), never a stack in a body. */
export function handler(body: Handler): Handler {
  return async (request, context) => {
    try {
      return await body(request, context);
    } catch (error) {
      return internalErrorResponse(error);
    }
  };
}

export async function param(context: RouteContext | undefined, name: string): Promise<string | null> {
  const params = context ? await context.params : {};
  const value = params[name];
  // Control characters name no id of ours, and a NUL byte would make PostgreSQL fail the query (a 500).
  return typeof value === "string" && value.length > 0 && value.length <= 256 && !/[\u0000-\u001f\u007f]/.test(value) ? value : null;
}

/** The gate and the DTO of a state-changing request; a Response when either refuses. */
export async function body<T extends object>(request: Request, dto: new () => T): Promise<T | Response> {
  const read = await readJsonBody(request, { appOrigin: getEdgeConfig().appOrigin });
  if (!read.ok) return read.response;
  const parsed = await parseDto(dto, read.value);
  return parsed.ok ? parsed.value : parsed.response;
}

/** For state-changing routes that take no input: the same gate, and an empty body or `{}` only. */
export async function noBody(request: Request): Promise<Response | null> {
  const read = await readJsonBody(request, { appOrigin: getEdgeConfig().appOrigin, bodyOptional: true });
  if (!read.ok) return read.response;
  const value = read.value;
  if (value === undefined) return null;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return null;
    return edgeErrorResponse("VALIDATION_FAILED", "This request takes no fields.", Object.fromEntries(keys.map((key) => [key, "This field is not allowed."])));
  }
  return edgeErrorResponse("VALIDATION_FAILED", "The request body must be a JSON object.");
}

export function unauthenticated(request: Request): Response {
  const response = domainErrorResponse(new Unauthenticated());
  // A cookie that no longer opens anything is dropped, so the browser stops sending it.
  return readSessionCookie(request, getEdgeConfig().appUrl) ? withCookies(response, [clearSessionCookie(getEdgeConfig().appUrl)]) : response;
}

/**
 * Runs `work` for a signed-in user; 401 otherwise. A rotated cookie is added to whatever `work` answers.
 * A bearer credential is refused here as well as by the route table's gate: this is the session's path.
 */
export async function signedIn(request: Request, work: (who: Authenticated, auth: Auth) => Promise<Response>): Promise<Response> {
  if (bearerOf(request) !== undefined) return bearerRefusal(request);
  const who = await authenticate(request);
  if (!who) return unauthenticated(request);
  const response = await work(who, await getAuth());
  return withRotatedCookie(response, who.setCookie);
}

/**
 * Runs `work` for whoever the request is, by session cookie, API key or device token: for the read
 * routes the route table opens to bearers (`bearerRead` in routes.ts). 401 otherwise; a refused
 * bearer also says so in `WWW-Authenticate` (RFC 6750 §3.1).
 */
export async function authenticated(request: Request, work: (who: Principal, auth: Auth) => Promise<Response>): Promise<Response> {
  const who = await authenticatePrincipal(request);
  if (!who) return bearerOf(request) === undefined ? unauthenticated(request) : invalidBearer();
  return withRotatedCookie(await work(who, await getAuth()), who.setCookie);
}

function invalidBearer(): Response {
  const response = domainErrorResponse(new Unauthenticated());
  response.headers.set("WWW-Authenticate", 'Bearer error="invalid_token"');
  return response;
}

/**
 * The answer of a session-only route to a request that carries a bearer: 401 when the bearer opens
 * nothing (a session JWT, a revoked key: it is no credential at all), 403 SESSION_REQUIRED when it is
 * a valid API key or device token (a credential, but not one this route takes).
 */
export async function bearerRefusal(request: Request): Promise<Response> {
  return (await authenticatePrincipal(request)) ? domainErrorResponse(new SessionRequired()) : invalidBearer();
}

function withRotatedCookie(response: Response, setCookie: string | undefined): Response {
  // `work` may have set its own session cookie (a replacement or a clearing): that one wins.
  if (setCookie && !response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${cookieNameOf(setCookie)}=`))) {
    response.headers.append("Set-Cookie", setCookie);
  }
  return response;
}

function cookieNameOf(setCookie: string): string {
  return setCookie.slice(0, setCookie.indexOf("="));
}

export function sessionCookie(auth: Auth, token: string, expiresAt: Date): string {
  return serializeSessionCookie(token, expiresAt, auth.resolve(TOKENS.Clock).now(), getEdgeConfig().appUrl);
}

export function clearCookie(): string {
  return clearSessionCookie(getEdgeConfig().appUrl);
}

export function failure(error: DomainError, names?: FieldNames): Response {
  return domainErrorResponse(error, names);
}

/**
 * Sign-up and sign-in hash a password. While hashing is at capacity their request would end in a 503
 * anyway; answering it first, before the body is read, validated or looked up, keeps a sign-in flood
 * from spending the CPU that other requests need. (A refusal says nothing about any account.)
 */
export function refusedWhileHashingIsFull(): Response | null {
  const refusal = hashingRefusal();
  return refusal ? internalErrorResponse(refusal) : null;
}

/** Any other /api path. */
export const notFound = handler(async () => edgeErrorResponse("NOT_FOUND", "There is no such API route."));
