import { apiKeyHandlers as apiKeys } from "./api-keys";
import { authHandlers as auth } from "./auth";
import { billingHandlers as billing } from "./billing";
import { credentialHandlers as credentials } from "./credentials";
import { deviceHandlers as devices } from "./devices";
import { mfaHandlers as mfa } from "./mfa";
import { oauthHandlers as oauth } from "./oauth";
import { passkeyHandlers as passkeys } from "./passkeys";
import { operationsHandlers as operations } from "./operations";
import { sessionHandlers as sessions } from "./sessions";
import { teamHandlers as teams } from "./teams";
import { bearerOf } from "./shared/authenticate";
import { edgeErrorResponse } from "./shared/error-table";
import { bearerRefusal, handler, notFound, type Handler } from "./shared/handler";
import { empty } from "./shared/responses";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

export type RouteModule = Record<Method | "OPTIONS", Handler>;

/**
 * A route file's exports: the route's own methods, a JSON 405 with `Allow` for every other one (Next.js
 * would answer an empty 405), and an OPTIONS that states what is allowed without any CORS header, so a
 * foreign origin's preflight fails.
 */
/**
 * What a route does with `Authorization: Bearer`: refuse it (the default), accept it as a credential
 * (the read routes), or not read it at all (the OAuth endpoints, where a device has only its parameters).
 */
type BearerUse = "refused" | "read" | "not-read";

function route(own: Partial<Record<Method, Handler>>, bearer: BearerUse | Partial<Record<Method, BearerUse>> = "refused"): RouteModule {
  const useOf = (method: string): BearerUse => (typeof bearer === "string" ? bearer : (bearer[method as Method] ?? "refused"));
  own = Object.fromEntries(Object.entries(own).map(([method, h]) => [method, useOf(method) === "refused" ? sessionOnly(h) : h]));
  const allowed = [...(Object.keys(own) as Method[]), ...(own.GET ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const notAllowed: Handler = async () =>
    edgeErrorResponse("METHOD_NOT_ALLOWED", "This method is not allowed on this route.", undefined, { Allow: allowed });
  const module: Partial<RouteModule> = { OPTIONS: async () => empty(204, { Allow: allowed }) };
  for (const method of METHODS) module[method] = own[method] ?? notAllowed;
  return module as RouteModule;
}

/**
 * Least privilege for bearer credentials: a request with `Authorization: Bearer` is answered before its
 * body or origin is looked at, on every route except the read routes below: 403 SESSION_REQUIRED for
 * a valid API key or device token, 401 for a bearer that is no credential (a session JWT among them).
 * A bearer never changes a password, mints keys, approves devices, invites or pays.
 */
function sessionOnly(own: Handler): Handler {
  return handler(async (request, context) => (bearerOf(request) !== undefined ? bearerRefusal(request) : own(request, context)));
}

/**
 * The read routes an API key or a device token may call, besides the session cookie; their handlers
 * use `authenticated` (any credential) rather than `signedIn` (session only). One line per route.
 */
const bearerRead = (own: Partial<Record<Method, Handler>>) => route(own, "read");
/** A route whose GET is such a read, while its other methods stay session only. */
const bearerReadGet = (own: Partial<Record<Method, Handler>>) => route(own, { GET: "read" });

/** Every API route, by path; `web/app/api/<path>/route.ts` re-exports one entry. */
export const routes = {
  // ── read routes open to bearer credentials: GET /api/me, GET /api/teams and GET /api/teams/:id ──
  me: bearerRead({ GET: credentials.me }),
  teams: bearerReadGet({ GET: teams.listTeams, POST: teams.createTeam }),
  teamById: bearerReadGet({ GET: teams.getTeam, PATCH: teams.renameTeam, DELETE: teams.deleteTeam }),
  // ── the OAuth endpoints of the device flow, which take no credential from headers ──
  oauthDeviceCode: route({ POST: oauth.deviceCode }, "not-read"),
  oauthToken: route({ POST: oauth.token }, "not-read"),
  oauthRevoke: route({ POST: oauth.revoke }, "not-read"),
  oauthMetadata: route({ GET: oauth.metadata }, "not-read"),
  // ── the operator's routes: no session; /api/metrics reads its own bearer (METRICS_TOKEN) ──
  health: route({ GET: operations.health }, "not-read"),
  ready: route({ GET: operations.ready }, "not-read"),
  metrics: route({ GET: operations.metrics }, "not-read"),
  // ── the payment provider's signed events: the signature is the credential, no header is read ──
  billingWebhook: route({ POST: billing.webhook }, "not-read"),
  // ── every other route: browser session only ──
  signUp: route({ POST: auth.signUp }),
  signIn: route({ POST: auth.signIn }),
  signOut: route({ POST: auth.signOut }),
  signOutAll: route({ POST: sessions.signOutAll }),
  reauthenticate: route({ POST: sessions.reauthenticate }),
  session: route({ GET: sessions.session }),
  sessions: route({ GET: sessions.listSessions }),
  sessionById: route({ DELETE: sessions.deleteSession }),
  verifyEmail: route({ POST: auth.verifyEmail }),
  verifyEmailResend: route({ POST: auth.resendVerification }),
  passwordReset: route({ POST: auth.requestPasswordReset }),
  passwordResetConfirm: route({ POST: auth.confirmPasswordReset }),
  changePassword: route({ POST: auth.changePassword }),
  account: route({ DELETE: auth.deleteAccount }),
  accountEmail: route({ POST: auth.requestEmailChange }),
  accountEmailConfirm: route({ POST: auth.confirmEmailChange }),
  apiKeys: route({ GET: apiKeys.listApiKeys, POST: apiKeys.createApiKey }),
  apiKeyById: route({ DELETE: apiKeys.deleteApiKey }),
  teamInvitations: route({ POST: teams.inviteMember }),
  teamInvitationById: route({ DELETE: teams.revokeInvitation }),
  teamMemberById: route({ PATCH: teams.changeMemberRole, DELETE: teams.removeMember }),
  invitationAccept: route({ POST: teams.acceptInvitation }),
  invitationDecline: route({ POST: teams.declineInvitation }),
  signInMfa: route({ POST: mfa.completeSignIn }),
  mfa: route({ GET: mfa.status }),
  mfaTotp: route({ DELETE: mfa.disableTotp }),
  mfaTotpSetup: route({ POST: mfa.setUpTotp }),
  mfaTotpEnable: route({ POST: mfa.enableTotp }),
  mfaRecoveryCodes: route({ POST: mfa.regenerateRecoveryCodes }),
  devices: route({ GET: devices.listDevices }),
  deviceById: route({ DELETE: devices.deleteDevice }),
  passkeys: route({ GET: passkeys.list }),
  passkeyById: route({ DELETE: passkeys.remove }),
  passkeyRegistrationOptions: route({ POST: passkeys.registrationOptions }),
  passkeyRegistration: route({ POST: passkeys.register }),
  passkeyAuthenticationOptions: route({ POST: passkeys.authenticationOptions }),
  passkeyAuthentication: route({ POST: passkeys.authenticate }),
  passkeyReauthentication: route({ POST: passkeys.reauthenticate }),
  teamBilling: route({ GET: billing.getBilling }),
  teamBillingCheckout: route({ POST: billing.startCheckout }),
  teamBillingPortal: route({ POST: billing.openPortal }),
  /** Any other /api path. */
  unknown: {
    GET: notFound,
    POST: notFound,
    PUT: notFound,
    PATCH: notFound,
    DELETE: notFound,
    OPTIONS: notFound,
  } satisfies RouteModule,
};
