import { edgeErrorResponse } from "./error-table";
import { handlers, type Handler } from "./handlers";
import { empty } from "./responses";

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
  signUp: route({ POST: handlers.signUp }),
  signIn: route({ POST: handlers.signIn }),
  signOut: route({ POST: handlers.signOut }),
  signOutAll: route({ POST: handlers.signOutAll }),
  session: route({ GET: handlers.session }),
  sessions: route({ GET: handlers.listSessions }),
  sessionById: route({ DELETE: handlers.deleteSession }),
  verifyEmail: route({ POST: handlers.verifyEmail }),
  verifyEmailResend: route({ POST: handlers.resendVerification }),
  passwordReset: route({ POST: handlers.requestPasswordReset }),
  passwordResetConfirm: route({ POST: handlers.confirmPasswordReset }),
  changePassword: route({ POST: handlers.changePassword }),
  account: route({ DELETE: handlers.deleteAccount }),
  apiKeys: route({ GET: handlers.listApiKeys, POST: handlers.createApiKey }),
  apiKeyById: route({ DELETE: handlers.deleteApiKey }),
  /** Any other /api path. */
  unknown: {
    GET: handlers.notFound,
    POST: handlers.notFound,
    PUT: handlers.notFound,
    PATCH: handlers.notFound,
    DELETE: handlers.notFound,
    OPTIONS: handlers.notFound,
  } satisfies RouteModule,
};
