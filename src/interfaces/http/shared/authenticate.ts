import type { RequestContext } from "../../../application/shared/request-context";
import type { CredentialView } from "../../../domain/shared/credential";
import type { Session } from "../../../domain/session/session";
import type { User } from "../../../domain/identity/user";
import { getAuth, getEdgeConfig, TOKENS } from "../../../infrastructure/di";
import { clientIp, userAgent } from "./client-ip";
import { readSessionCookie, serializeSessionCookie } from "./session-cookie";

export interface Authenticated {
  readonly user: User;
  /** The session now in force: a successor when this request rotated it. */
  readonly session: Session;
  /** Set when the session was rotated: put it on the response so the browser holds the new id. */
  readonly setCookie?: string;
}

/** Who is asking, from the transport: client IP (socket, or trusted proxy) and User-Agent. */
export function requestContext(source: Request | Headers): RequestContext {
  const headers = source instanceof Headers ? source : source.headers;
  return { ip: clientIp(headers, getEdgeConfig().trustProxy), userAgent: userAgent(headers) };
}

/**
 * The signed-in user of a request, checked against the server-side session row on every call (a
 * revoked session fails on its very next request). The token is read from the Cookie header only.
 * Null when there is no valid session. For route handlers, server actions, pages and the proxy alike.
 */
export async function authenticate(source: Request | Headers): Promise<Authenticated | null> {
  const { appUrl } = getEdgeConfig();
  const token = readSessionCookie(source, appUrl);
  if (!token) return null;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.AuthenticateSession).execute({ token, context: requestContext(source) });
  if (!result.ok) return null;
  const { user, session } = result.value;
  const rotated = result.value.token;
  if (!rotated) return { user, session };
  return { user, session, setCookie: serializeSessionCookie(rotated, session.expiresAt, auth.resolve(TOKENS.Clock).now(), appUrl) };
}

/**
 * The secret of an `Authorization: Bearer …` header; undefined when the request has no bearer (no
 * header, or another scheme). An empty or malformed bearer is a string, and refused as such.
 */
export function bearerOf(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (header === null) return undefined;
  const match = /^\s*Bearer(?:\s+(.*))?$/i.exec(header);
  return match ? (match[1] ?? "").trim() : undefined;
}

/** Who a request is on a route open to every kind of credential, and with which. */
export interface Principal {
  readonly user: User;
  readonly credential: CredentialView;
  /** The session in force when the cookie authenticated the request; null for a bearer. */
  readonly session: Session | null;
  readonly setCookie?: string;
}

/**
 * The one check of any credential: a bearer (API key or device token) when the request carries one,
 * and then only the bearer (the cookie is never read); the session cookie otherwise. Null when neither
 * opens anything.
 */
export async function authenticatePrincipal(request: Request): Promise<Principal | null> {
  const { appUrl } = getEdgeConfig();
  const bearer = bearerOf(request);
  const sessionToken = bearer === undefined ? readSessionCookie(request, appUrl) : null;
  if (bearer === undefined && !sessionToken) return null;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.AuthenticateRequest).execute({ bearer, sessionToken, context: requestContext(request) });
  if (!result.ok) return null;
  const { user, credential, session, token } = result.value;
  if (!token || !session) return { user, credential, session };
  return { user, credential, session, setCookie: serializeSessionCookie(token, session.expiresAt, auth.resolve(TOKENS.Clock).now(), appUrl) };
}
