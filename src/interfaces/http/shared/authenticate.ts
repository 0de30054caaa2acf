import type { RequestContext } from "../../../application/shared/request-context";
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
