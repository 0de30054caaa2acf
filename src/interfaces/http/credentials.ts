import { authenticated, handler, type Handler } from "./shared/handler";
import { presentUser } from "./shared/presenters";
import { json } from "./shared/responses";

/** `GET /api/me`: who the request is, and by which credential (session cookie, API key or device token). */
const me = handler(async (request) =>
  authenticated(request, async (who) => json(200, { user: presentUser(who.user), credential: who.credential })),
);

/** The credentials routes: the one read every kind of credential may make about itself. */
export const credentialHandlers = {
  me,
} satisfies Record<string, Handler>;
