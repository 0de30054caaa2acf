import { NotFound } from "../../domain/shared/domain-error";
import { TOKENS } from "../../infrastructure/di";
import { requestContext } from "./shared/authenticate";
import { ReauthenticateBody } from "./shared/dtos";
import { body, clearCookie, failure, handler, type Handler, noBody, param, sessionCookie, signedIn } from "./shared/handler";
import { presentSession, presentUser } from "./shared/presenters";
import { empty, json, withCookies } from "./shared/responses";

const session = handler(async (request) =>
  signedIn(request, async (who) =>
    json(200, {
      user: presentUser(who.user),
      session: {
        id: who.session.id,
        createdAt: who.session.createdAt.toISOString(),
        lastSeenAt: who.session.lastSeenAt.toISOString(),
        expiresAt: who.session.expiresAt.toISOString(),
        authMethods: who.session.authMethods,
        lastAuthenticatedAt: who.session.lastAuthenticatedAt.toISOString(),
      },
    }),
  ),
);

const listSessions = handler(async (request) =>
  signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.ListSessions).execute({ userId: who.user.id, currentSessionId: who.session.id });
    if (!result.ok) return failure(result.error);
    return json(200, { sessions: result.value.map(({ session, current }) => presentSession(session, current)) });
  }),
);

const deleteSession = handler(async (request, context) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const id = await param(context, "id");
    if (!id) return failure(new NotFound("Session"));
    const result = await auth.resolve(TOKENS.RevokeSession).execute({ userId: who.user.id, sessionId: id, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return id === who.session.id ? withCookies(empty(204), [clearCookie()]) : empty(204);
  });
});

const signOutAll = handler(async (request) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    await auth.resolve(TOKENS.RevokeAllSessions).execute({ userId: who.user.id, context: requestContext(request) });
    return withCookies(empty(204), [clearCookie()]);
  });
});

/** The sessions routes: the current session, the list, ending one, ending all. */
/** Step-up: the password again moves the session to a new id that is fresh for FRESH_AUTH_MAX_AGE. */
const reauthenticate = handler(async (request) => {
  const input = await body(request, ReauthenticateBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.Reauthenticate).execute({
      userId: who.user.id,
      sessionId: who.session.id,
      password: input.password,
      code: input.code,
      recoveryCode: input.recoveryCode,
      context: requestContext(request),
    });
    if (!result.ok) return failure(result.error, { credentials: ["password", "The password is incorrect."] });
    const { user, session: successor, token } = result.value;
    return withCookies(json(200, { user: presentUser(user) }), [sessionCookie(auth, token, successor.expiresAt)]);
  });
});

export const sessionHandlers = {
  reauthenticate,
  session,
  listSessions,
  deleteSession,
  signOutAll,
} satisfies Record<string, Handler>;
