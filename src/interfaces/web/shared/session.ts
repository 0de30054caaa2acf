import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { RequestContext } from "../../../application/shared/request-context";
import { clientIp, userAgent } from "../../http/shared/client-ip";
import { isUnavailable } from "../../http/shared/error-table";
import { sessionCookieAttributes, sessionCookieName } from "../../http/shared/session-cookie";
import { reauthenticateUrlFor, signInUrlFor } from "./safe-next-path";
import { appUrl, authSettings, trustProxy, useCase } from "./use-cases";
import { sessionView, userView, type SessionView, type UserView } from "./views";

/**
 * The signed-in person as pages and server actions see them. Every protected page and every action
 * asks the application layer again (AuthenticateSession against the session row): the proxy's check
 * is only the early one, and nothing a request header says can stand in for it.
 *
 * Rotation and the cookie: pages cannot set cookies (the response is already streaming), so for page
 * requests rotation is the proxy's job: it runs AuthenticateSession first, sets the successor's cookie
 * on the response and hands the new value to the render through the request's Cookie header, so the
 * page sees an active session and rotates nothing. Server actions can set cookies, so they write one
 * whenever AuthenticateSession hands back a new token. Should a page ever rotate on its own (a request
 * the proxy did not see), the browser keeps the old cookie, which is still honoured within the grace
 * period and leads to the same successor on the next request through the proxy.
 */
export interface Viewer {
  readonly user: UserView;
  readonly session: SessionView;
}

export async function requestContext(): Promise<RequestContext> {
  const h = await headers();
  return { ip: clientIp(h, trustProxy()), userAgent: userAgent(h) };
}

async function presentedToken(): Promise<string | null> {
  const value = (await cookies()).get(sessionCookieName(appUrl()))?.value;
  return value && value.length <= 4096 ? value : null;
}

/**
 * A database that stops answering mid-render throws the driver's error, and Next.js logs what a page
 * throws as it is: a QueryFailedError carries its SQL and parameters (a session id among them). The
 * page gets the same failure, and the log only a sentence.
 */
async function withoutQueryDetails<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnavailable(error)) throw new Error("The database is unavailable; the page could not check the session.");
    throw error;
  }
}

/** The viewer of this page request, or null. Cached per request, so a layout and its page share one check. */
export const currentViewer = cache(async (): Promise<Viewer | null> => {
  const token = await presentedToken();
  if (!token) return null;
  const authenticate = await useCase("authenticateSession");
  const context = await requestContext();
  const result = await withoutQueryDetails(() => authenticate.execute({ token, context }));
  if (!result.ok) return null;
  return { user: userView(result.value.user), session: sessionView(result.value.session, true) };
});

/** For protected pages: the viewer, or a redirect to sign-in that comes back to `path`. */
export async function requireViewer(path: string): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect(signInUrlFor(path));
  return viewer;
}

/**
 * For pages that exist only to do a sensitive action (the device approval): the viewer when the
 * session's last authentication is inside the step-up window, else a trip through /reauthenticate
 * that comes back to `path`. The use case checks again when the action is posted.
 */
export async function requireFreshViewer(path: string): Promise<Viewer> {
  const viewer = await requireViewer(path);
  const { freshAuthMaxAgeSeconds } = await authSettings();
  const age = Date.now() - viewer.session.lastAuthenticatedAt.getTime();
  if (age < 0 || age >= freshAuthMaxAgeSeconds * 1000) redirect(reauthenticateUrlFor(path));
  return viewer;
}

/** For server actions refused with REAUTHENTICATION_REQUIRED: through the step-up page and back to `path`. */
export function redirectIfStale(error: { readonly code: string }, path: string): void {
  if (error.code === "REAUTHENTICATION_REQUIRED") redirect(reauthenticateUrlFor(path));
}

/**
 * For server actions: authenticates again, writes the rotated cookie if there is one, and sends a
 * refused visitor to sign-in (clearing the dead cookie) instead of running the action.
 */
export async function requireActionViewer(path: string): Promise<Viewer & { readonly token: string; readonly context: RequestContext }> {
  const token = await presentedToken();
  const context = await requestContext();
  if (token) {
    const authenticate = await useCase("authenticateSession");
    const result = await withoutQueryDetails(() => authenticate.execute({ token, context }));
    if (result.ok) {
      const { user, session } = result.value;
      if (result.value.token) await setSessionCookie(result.value.token, session.expiresAt);
      return { user: userView(user), session: sessionView(session, true), token: result.value.token ?? token, context };
    }
    await clearSessionCookie();
  }
  redirect(signInUrlFor(path));
}

export async function setSessionCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(sessionCookieName(appUrl()), token, sessionCookieAttributes(expiresAt, new Date(), appUrl()));
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).set(sessionCookieName(appUrl()), "", { ...sessionCookieAttributes(new Date(0), new Date(0), appUrl()), maxAge: 0 });
}

/** The cookie the client holds, for use cases that end it (sign-in, sign-up, sign-out). */
export function sessionTokenFromCookie(): Promise<string | null> {
  return presentedToken();
}
