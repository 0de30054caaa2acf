import { routes } from "../http/routes";
import { routeTemplateOf } from "./route-templates";

/**
 * Which methods a path serves, decided at the server edge for the methods Next.js itself cannot route:
 * anything but GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS reached Next.js as a plain-text 500
 * (TRACE) or 400 (PURGE, PROPFIND…); methods Node's parser does not know (FOO) were a bare 400;
 * and a page answered PUT, PATCH or DELETE with its HTML as if it were a GET. Here every method a path
 * does not serve gets a 405 with `Allow`: JSON on the API (the route's own Allow, as its route module
 * states it), plain text on pages, which serve GET and HEAD and POST (forms, server actions).
 */

/** The API route module behind each route template (web/app/api/<path>/route.ts re-exports it). */
export const API_ROUTE_BY_TEMPLATE: Readonly<Record<string, keyof typeof routes>> = {
  "/.well-known/oauth-authorization-server": "oauthMetadata",
  "/api/account": "account",
  "/api/account/email/confirm": "accountEmailConfirm",
  "/api/account/email": "accountEmail",
  "/api/api-keys/:id": "apiKeyById",
  "/api/api-keys": "apiKeys",
  "/api/auth/change-password": "changePassword",
  "/api/auth/password-reset/confirm": "passwordResetConfirm",
  "/api/auth/password-reset": "passwordReset",
  "/api/auth/passkeys": "passkeys",
  "/api/auth/passkeys/:id": "passkeyById",
  "/api/auth/passkeys/authentication": "passkeyAuthentication",
  "/api/auth/passkeys/authentication/options": "passkeyAuthenticationOptions",
  "/api/auth/passkeys/reauthentication": "passkeyReauthentication",
  "/api/auth/passkeys/registration": "passkeyRegistration",
  "/api/auth/passkeys/registration/options": "passkeyRegistrationOptions",
  "/api/auth/reauthenticate": "reauthenticate",
  "/api/billing/webhook": "billingWebhook",
  "/api/auth/session": "session",
  "/api/auth/sessions/:id": "sessionById",
  "/api/auth/sessions": "sessions",
  "/api/auth/sign-in": "signIn",
  "/api/auth/sign-in/mfa": "signInMfa",
  "/api/auth/mfa": "mfa",
  "/api/auth/mfa/totp": "mfaTotp",
  "/api/auth/mfa/totp/setup": "mfaTotpSetup",
  "/api/auth/mfa/totp/enable": "mfaTotpEnable",
  "/api/auth/mfa/recovery-codes": "mfaRecoveryCodes",
  "/api/auth/sign-out-all": "signOutAll",
  "/api/auth/sign-out": "signOut",
  "/api/auth/sign-up": "signUp",
  "/api/auth/verify-email/resend": "verifyEmailResend",
  "/api/auth/verify-email": "verifyEmail",
  "/api/devices/:id": "deviceById",
  "/api/devices": "devices",
  "/api/health": "health",
  "/api/invitations/accept": "invitationAccept",
  "/api/invitations/decline": "invitationDecline",
  "/api/me": "me",
  "/api/metrics": "metrics",
  "/api/oauth/device/code": "oauthDeviceCode",
  "/api/oauth/revoke": "oauthRevoke",
  "/api/oauth/token": "oauthToken",
  "/api/ready": "ready",
  "/api/teams/:id/invitations/:invitationId": "teamInvitationById",
  "/api/teams/:id/invitations": "teamInvitations",
  "/api/teams/:id/members/:userId": "teamMemberById",
  "/api/teams/:id/billing/checkout": "teamBillingCheckout",
  "/api/teams/:id/billing/portal": "teamBillingPortal",
  "/api/teams/:id/billing": "teamBilling",
  "/api/teams/:id": "teamById",
  "/api/teams": "teams",
};

/** The methods Next.js routes to a route module's exports or renders a page for. */
const ROUTED_BY_NEXT = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
export const PAGE_ALLOW = "GET, HEAD, POST, OPTIONS";
const PAGE_METHODS = new Set(["GET", "HEAD", "POST"]);

export interface EdgeAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const allowByTemplate = new Map<string, string>();

/** Reads each route module's Allow (its OPTIONS answer) once, at start. */
export async function learnAllowedMethods(): Promise<void> {
  for (const [template, key] of Object.entries(API_ROUTE_BY_TEMPLATE)) {
    const answer = await routes[key].OPTIONS(new Request(`http://localhost${template}`, { method: "OPTIONS" }));
    const allow = answer.headers.get("allow");
    if (allow) allowByTemplate.set(template, allow);
  }
}

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
const TEXT_HEADERS = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

function jsonError(status: number, code: string, message: string, extra: Record<string, string> = {}): EdgeAnswer {
  return { status, headers: { ...JSON_HEADERS, ...extra }, body: JSON.stringify({ error: { code, message } }) };
}

/** The edge's own answer for `method` on `path`, or null when Next.js serves it as it should. */
export function methodAnswer(method: string, path: string): EdgeAnswer | null {
  if (path.startsWith("/_next/")) return null;
  const template = routeTemplateOf(path);
  const apiRoute = API_ROUTE_BY_TEMPLATE[template];
  if (apiRoute || path === "/api" || path.startsWith("/api/")) {
    if (ROUTED_BY_NEXT.has(method)) return null; // the route module answers, its 405s included
    if (!apiRoute) return jsonError(404, "NOT_FOUND", "There is no such API route.");
    return jsonError(405, "METHOD_NOT_ALLOWED", "This method is not allowed on this route.", { Allow: allowByTemplate.get(template) ?? "OPTIONS" });
  }
  if (PAGE_METHODS.has(method)) return null;
  if (method === "OPTIONS") return { status: 204, headers: { Allow: PAGE_ALLOW, "Cache-Control": "no-store" }, body: "" };
  return { status: 405, headers: { ...TEXT_HEADERS, Allow: PAGE_ALLOW }, body: "This method is not allowed on this page.\n" };
}

/** A raw HTTP/1.1 response for a socket the HTTP parser gave up on (a method it does not know), or CONNECT. */
export function rawMethodAnswer(firstLine: string): string {
  const target = /^\S+ (\S+)/.exec(firstLine)?.[1] ?? "/";
  let path = target;
  if (!target.startsWith("/")) {
    try {
      path = new URL(target).pathname;
    } catch {
      path = "/";
    }
  }
  const query = path.indexOf("?");
  const answer = methodAnswer("UNKNOWN", query < 0 ? path : path.slice(0, query)) ?? { status: 405, headers: { ...TEXT_HEADERS, Allow: PAGE_ALLOW }, body: "" };
  const reason = answer.status === 404 ? "Not Found" : "Method Not Allowed";
  const headers = { ...answer.headers, "Content-Length": String(Buffer.byteLength(answer.body)), Connection: "close" };
  return `HTTP/1.1 ${answer.status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n${answer.body}`;
}
