import { NotFound, Unauthenticated, type DomainError } from "../../domain/shared/domain-error";
import { getAuth, getEdgeConfig, hashingRefusal, TOKENS, type Auth } from "../../infrastructure/di";
import { authenticate, requestContext, type Authenticated } from "./authenticate";
import { parseDto } from "./dto";
import { ApiKeyBody, ChangePasswordBody, CredentialsBody, EmailBody, PasswordBody, ResetPasswordBody, TokenBody } from "./dtos";
import { domainErrorResponse, edgeErrorResponse, internalErrorResponse, type FieldNames } from "./error-table";
import { presentApiKey, presentSession, presentUser } from "./presenters";
import { readJsonBody } from "./request-guards";
import { empty, json, withCookies } from "./responses";
import { clearSessionCookie, readSessionCookie, serializeSessionCookie } from "./session-cookie";

/** Next.js passes dynamic segments as a promise. */
export interface RouteContext {
  readonly params: Promise<Record<string, string | string[] | undefined>>;
}

export type Handler = (request: Request, context?: RouteContext) => Promise<Response>;

/** Every handler's outer shell: whatever is thrown becomes a logged 500 (or 503), never a stack in a body. */
function handler(body: Handler): Handler {
  return async (request, context) => {
    try {
      return await body(request, context);
    } catch (error) {
      return internalErrorResponse(error);
    }
  };
}

async function param(context: RouteContext | undefined, name: string): Promise<string | null> {
  const params = context ? await context.params : {};
  const value = params[name];
  // Control characters name no id of ours, and a NUL byte would make PostgreSQL fail the query (a 500).
  return typeof value === "string" && value.length > 0 && value.length <= 256 && !/[\u0000-\u001f\u007f]/.test(value) ? value : null;
}

/** The gate and the DTO of a state-changing request; a Response when either refuses. */
async function body<T extends object>(request: Request, dto: new () => T): Promise<T | Response> {
  const read = await readJsonBody(request, { appOrigin: getEdgeConfig().appOrigin });
  if (!read.ok) return read.response;
  const parsed = await parseDto(dto, read.value);
  return parsed.ok ? parsed.value : parsed.response;
}

/** For state-changing routes that take no input: the same gate, and an empty body or `{}` only. */
async function noBody(request: Request): Promise<Response | null> {
  const read = await readJsonBody(request, { appOrigin: getEdgeConfig().appOrigin, bodyOptional: true });
  if (!read.ok) return read.response;
  const value = read.value;
  if (value === undefined) return null;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return null;
    return edgeErrorResponse("VALIDATION_FAILED", "This request takes no fields.", Object.fromEntries(keys.map((key) => [key, "This field is not allowed."])));
  }
  return edgeErrorResponse("VALIDATION_FAILED", "The request body must be a JSON object.");
}

function unauthenticated(request: Request): Response {
  const response = domainErrorResponse(new Unauthenticated());
  // A cookie that no longer opens anything is dropped, so the browser stops sending it.
  return readSessionCookie(request, getEdgeConfig().appUrl) ? withCookies(response, [clearSessionCookie(getEdgeConfig().appUrl)]) : response;
}

/** Runs `work` for a signed-in user; 401 otherwise. A rotated cookie is added to whatever `work` answers. */
async function signedIn(request: Request, work: (who: Authenticated, auth: Auth) => Promise<Response>): Promise<Response> {
  const who = await authenticate(request);
  if (!who) return unauthenticated(request);
  const response = await work(who, await getAuth());
  // `work` may have set its own session cookie (a replacement or a clearing): that one wins.
  if (who.setCookie && !response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${cookieNameOf(who.setCookie!)}=`))) {
    response.headers.append("Set-Cookie", who.setCookie);
  }
  return response;
}

function cookieNameOf(setCookie: string): string {
  return setCookie.slice(0, setCookie.indexOf("="));
}

function sessionCookie(auth: Auth, token: string, expiresAt: Date): string {
  return serializeSessionCookie(token, expiresAt, auth.resolve(TOKENS.Clock).now(), getEdgeConfig().appUrl);
}

function clearCookie(): string {
  return clearSessionCookie(getEdgeConfig().appUrl);
}

function failure(error: DomainError, names?: FieldNames): Response {
  return domainErrorResponse(error, names);
}

// ---------------------------------------------------------------------------------------------------

/**
 * Sign-up and sign-in hash a password. While hashing is at capacity their request would end in a 503
 * anyway; answering it first, before the body is read, validated or looked up, keeps a sign-in flood
 * from spending the CPU that other requests need. (A refusal says nothing about any account.)
 */
function refusedWhileHashingIsFull(): Response | null {
  const refusal = hashingRefusal();
  return refusal ? internalErrorResponse(refusal) : null;
}

const signUp = handler(async (request) => {
  const busy = refusedWhileHashingIsFull();
  if (busy) return busy;
  const input = await body(request, CredentialsBody);
  if (input instanceof Response) return input;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.SignUp).execute({
    email: input.email,
    password: input.password,
    context: requestContext(request),
    currentToken: readSessionCookie(request, getEdgeConfig().appUrl),
  });
  if (!result.ok) return failure(result.error);
  const { user, session, token } = result.value;
  return withCookies(json(201, { user: presentUser(user) }), [sessionCookie(auth, token, session.expiresAt)]);
});

const signIn = handler(async (request) => {
  const busy = refusedWhileHashingIsFull();
  if (busy) return busy;
  const input = await body(request, CredentialsBody);
  if (input instanceof Response) return input;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.SignIn).execute({
    email: input.email,
    password: input.password,
    context: requestContext(request),
    currentToken: readSessionCookie(request, getEdgeConfig().appUrl),
  });
  if (!result.ok) return failure(result.error);
  const { user, session, token } = result.value;
  return withCookies(json(200, { user: presentUser(user) }), [sessionCookie(auth, token, session.expiresAt)]);
});

const signOut = handler(async (request) => {
  const refused = await noBody(request);
  if (refused) return refused;
  const auth = await getAuth();
  await auth.resolve(TOKENS.SignOut).execute({ token: readSessionCookie(request, getEdgeConfig().appUrl), context: requestContext(request) });
  return withCookies(empty(204), [clearCookie()]);
});

const signOutAll = handler(async (request) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    await auth.resolve(TOKENS.RevokeAllSessions).execute({ userId: who.user.id, context: requestContext(request) });
    return withCookies(empty(204), [clearCookie()]);
  });
});

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

const verifyEmail = handler(async (request) => {
  const input = await body(request, TokenBody);
  if (input instanceof Response) return input;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.VerifyEmail).execute({ token: input.token, context: requestContext(request) });
  if (!result.ok) return failure(result.error);
  return json(200, { user: presentUser(result.value.user) });
});

const resendVerification = handler(async (request) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.ResendVerification).execute({ userId: who.user.id, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return json(202, {});
  });
});

const requestPasswordReset = handler(async (request) => {
  const input = await body(request, EmailBody);
  if (input instanceof Response) return input;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.RequestPasswordReset).execute({ email: input.email, context: requestContext(request) });
  if (!result.ok) return failure(result.error);
  return json(202, {});
});

const confirmPasswordReset = handler(async (request) => {
  const input = await body(request, ResetPasswordBody);
  if (input instanceof Response) return input;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.ResetPassword).execute({ token: input.token, password: input.password, context: requestContext(request) });
  if (!result.ok) return failure(result.error);
  // Every session of the user has ended, the one this browser may hold included.
  const response = json(200, { user: presentUser(result.value.user) });
  return readSessionCookie(request, getEdgeConfig().appUrl) ? withCookies(response, [clearCookie()]) : response;
});

const changePassword = handler(async (request) => {
  const input = await body(request, ChangePasswordBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.ChangePassword).execute({
      userId: who.user.id,
      sessionId: who.session.id,
      currentPassword: input.currentPassword,
      newPassword: input.newPassword,
      context: requestContext(request),
    });
    if (!result.ok) return failure(result.error, { password: "newPassword", credentials: ["currentPassword", "The current password is incorrect."] });
    const { user, session: replacement, token } = result.value;
    return withCookies(json(200, { user: presentUser(user) }), [sessionCookie(auth, token, replacement.expiresAt)]);
  });
});

const deleteAccount = handler(async (request) => {
  const input = await body(request, PasswordBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.DeleteAccount).execute({ userId: who.user.id, password: input.password, context: requestContext(request) });
    if (!result.ok) return failure(result.error, { credentials: ["password", "The password is incorrect."] });
    return withCookies(empty(204), [clearCookie()]);
  });
});

const createApiKey = handler(async (request) => {
  const input = await body(request, ApiKeyBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.CreateApiKey).execute({ userId: who.user.id, name: input.name, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    const { id, name, prefix, createdAt } = presentApiKey(result.value.apiKey);
    return json(201, { apiKey: { id, name, prefix, createdAt }, secret: result.value.secret });
  });
});

const listApiKeys = handler(async (request) =>
  signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.ListApiKeys).execute({ userId: who.user.id });
    if (!result.ok) return failure(result.error);
    return json(200, { apiKeys: result.value.map(presentApiKey) });
  }),
);

const deleteApiKey = handler(async (request, context) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const id = await param(context, "id");
    if (!id) return failure(new NotFound("API key"));
    const result = await auth.resolve(TOKENS.RevokeApiKey).execute({ userId: who.user.id, apiKeyId: id, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return empty(204);
  });
});

const notFound = handler(async () => edgeErrorResponse("NOT_FOUND", "There is no such API route."));

/** One handler per route and method of the API. */
export const handlers = {
  signUp,
  signIn,
  signOut,
  signOutAll,
  session,
  listSessions,
  deleteSession,
  verifyEmail,
  resendVerification,
  requestPasswordReset,
  confirmPasswordReset,
  changePassword,
  deleteAccount,
  createApiKey,
  listApiKeys,
  deleteApiKey,
  notFound,
} satisfies Record<string, Handler>;
