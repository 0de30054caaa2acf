import { apiKeyHandlers as apiKeys } from "./api-keys";
import { authHandlers as auth } from "./auth";
import { sessionHandlers as sessions } from "./sessions";
import { teamHandlers as teams } from "./teams";
import { edgeErrorResponse } from "./shared/error-table";
import { notFound, type Handler } from "./shared/handler";
import { empty } from "./shared/responses";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

export type RouteModule = Record<Method | "OPTIONS", Handler>;

/**
 * A route file's exports: the route's own methods, a JSON 405 with `Allow` for every other one (Next.js
 * would answer an empty 405), and an OPTIONS that states what is allowed without any CORS header, so a
 * foreign origin's preflight fails.
 */
function route(own: Partial<Record<Method, Handler>>): RouteModule {
  const allowed = [...(Object.keys(own) as Method[]), ...(own.GET ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const notAllowed: Handler = async () =>
    edgeErrorResponse("METHOD_NOT_ALLOWED", "This method is not allowed on this route.", undefined, { Allow: allowed });
  const module: Partial<RouteModule> = { OPTIONS: async () => empty(204, { Allow: allowed }) };
  for (const method of METHODS) module[method] = own[method] ?? notAllowed;
  return module as RouteModule;
}

/** Every API route, by path; `web/app/api/<path>/route.ts` re-exports one entry. */
export const routes = {
  signUp: route({ POST: auth.signUp }),
  signIn: route({ POST: auth.signIn }),
  signOut: route({ POST: auth.signOut }),
  signOutAll: route({ POST: sessions.signOutAll }),
  session: route({ GET: sessions.session }),
  sessions: route({ GET: sessions.listSessions }),
  sessionById: route({ DELETE: sessions.deleteSession }),
  verifyEmail: route({ POST: auth.verifyEmail }),
  verifyEmailResend: route({ POST: auth.resendVerification }),
  passwordReset: route({ POST: auth.requestPasswordReset }),
  passwordResetConfirm: route({ POST: auth.confirmPasswordReset }),
  changePassword: route({ POST: auth.changePassword }),
  account: route({ DELETE: auth.deleteAccount }),
  apiKeys: route({ GET: apiKeys.listApiKeys, POST: apiKeys.createApiKey }),
  apiKeyById: route({ DELETE: apiKeys.deleteApiKey }),
  teams: route({ GET: teams.listTeams, POST: teams.createTeam }),
  teamById: route({ GET: teams.getTeam, PATCH: teams.renameTeam, DELETE: teams.deleteTeam }),
  teamInvitations: route({ POST: teams.inviteMember }),
  teamInvitationById: route({ DELETE: teams.revokeInvitation }),
  teamMemberById: route({ PATCH: teams.changeMemberRole, DELETE: teams.removeMember }),
  invitationAccept: route({ POST: teams.acceptInvitation }),
  invitationDecline: route({ POST: teams.declineInvitation }),
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
