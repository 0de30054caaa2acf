import { NotFound } from "../../domain/shared/domain-error";
import { TOKENS } from "../../infrastructure/di";
import { requestContext } from "./shared/authenticate";
import { clearCookie, failure, handler, type Handler, noBody, param, signedIn } from "./shared/handler";
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
export const sessionHandlers = {
  session,
  listSessions,
  deleteSession,
  signOutAll,
} satisfies Record<string, Handler>;
