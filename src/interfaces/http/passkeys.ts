import { IsObject, IsString, MaxLength } from "class-validator";
import type { Passkey } from "../../domain/passkey/passkey";
import { NotFound } from "../../domain/shared/domain-error";
import { getAuth, getEdgeConfig, TOKENS } from "../../infrastructure/di";
import { requestContext } from "./shared/authenticate";
import { body, failure, handler, type Handler, noBody, param, sessionCookie, signedIn } from "./shared/handler";
import { presentUser } from "./shared/presenters";
import { empty, json, withCookies } from "./shared/responses";
import { readSessionCookie } from "./shared/session-cookie";

/** The browser's `PublicKeyCredential` as JSON; its inside is checked by the WebAuthn verifier. */
class PasskeyResponseBody {
  @IsObject({ message: "Must be the credential from the browser, as an object." }) response!: Record<string, unknown>;
}

class PasskeyRegistrationBody extends PasskeyResponseBody {
  @IsString({ message: "Must be a string." }) @MaxLength(1024, { message: "Too long." }) name!: string;
}

/** What the API shows of a passkey: never its key or counter. */
export const presentPasskey = (p: Passkey) => ({
  id: p.id,
  name: p.name,
  createdAt: p.createdAt.toISOString(),
  lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
});

/** Options for `navigator.credentials.create()` (fresh session). */
const registrationOptions = handler(async (request) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.StartPasskeyRegistration).execute({ userId: who.user.id, sessionId: who.session.id });
    if (!result.ok) return failure(result.error);
    return json(200, result.value);
  });
});

const register = handler(async (request) => {
  const input = await body(request, PasskeyRegistrationBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.RegisterPasskey).execute({
      userId: who.user.id,
      sessionId: who.session.id,
      response: input.response,
      name: input.name,
      context: requestContext(request),
    });
    if (!result.ok) return failure(result.error);
    return json(201, { passkey: presentPasskey(result.value) });
  });
});

const list = handler(async (request) =>
  signedIn(request, async (who, auth) => {
    const passkeys = await auth.resolve(TOKENS.ListPasskeys).execute({ userId: who.user.id });
    return json(200, { passkeys: passkeys.map(presentPasskey) });
  }),
);

const remove = handler(async (request, context) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const id = await param(context, "id");
    if (!id) return failure(new NotFound("Passkey"));
    const result = await auth
      .resolve(TOKENS.RemovePasskey)
      .execute({ userId: who.user.id, sessionId: who.session.id, passkeyId: id, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return empty(204);
  });
});

/** Options for `navigator.credentials.get()`, to sign in or to step up; no session needed. */
const authenticationOptions = handler(async (request) => {
  const refused = await noBody(request);
  if (refused) return refused;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.StartPasskeyAuthentication).execute({ context: requestContext(request) });
  if (!result.ok) return failure(result.error);
  return json(200, result.value);
});

/** Signs in with a passkey alone: a new session with `authMethods: ["passkey"]`. */
const authenticate = handler(async (request) => {
  const input = await body(request, PasskeyResponseBody);
  if (input instanceof Response) return input;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.SignInWithPasskey).execute({
    response: input.response,
    context: requestContext(request),
    currentToken: readSessionCookie(request, getEdgeConfig().appUrl),
  });
  if (!result.ok) return failure(result.error);
  const { user, session, token } = result.value;
  return withCookies(json(200, { user: presentUser(user) }), [sessionCookie(auth, token, session.expiresAt)]);
});

/** Step-up with one of the user's passkeys: the session moves to a new id, fresh. */
const reauthenticate = handler(async (request) => {
  const input = await body(request, PasskeyResponseBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.ReauthenticateWithPasskey).execute({
      userId: who.user.id,
      sessionId: who.session.id,
      response: input.response,
      context: requestContext(request),
    });
    if (!result.ok) return failure(result.error);
    const { user, session, token } = result.value;
    return withCookies(json(200, { user: presentUser(user) }), [sessionCookie(auth, token, session.expiresAt)]);
  });
});

export const passkeyHandlers = {
  registrationOptions,
  register,
  list,
  remove,
  authenticationOptions,
  authenticate,
  reauthenticate,
} satisfies Record<string, Handler>;
