import { getAuth, getEdgeConfig, TOKENS } from "../../infrastructure/di";
import { requestContext } from "./shared/authenticate";
import { ChangePasswordBody, CredentialsBody, EmailBody, NewEmailBody, PasswordBody, ResetPasswordBody, TokenBody } from "./shared/dtos";
import { body, clearCookie, failure, handler, type Handler, noBody, refusedWhileHashingIsFull, sessionCookie, signedIn } from "./shared/handler";
import { presentUser } from "./shared/presenters";
import { empty, json, withCookies } from "./shared/responses";
import { readSessionCookie } from "./shared/session-cookie";
import { serializeChallengeCookie } from "./shared/challenge-cookie";
import type { SecondFactorRequired } from "../../domain/mfa/mfa-errors";

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
  if (!result.ok) {
    if (result.error.code === "MFA_REQUIRED") return secondStepDue(result.error, auth.resolve(TOKENS.Clock).now());
    return failure(result.error);
  }
  const { user, session, token } = result.value;
  return withCookies(json(200, { user: presentUser(user) }), [sessionCookie(auth, token, session.expiresAt)]);
});

/** The password was right and a second factor is on: 202, the methods, the challenge cookie, and no session. */
function secondStepDue(due: SecondFactorRequired, now: Date): Response {
  return withCookies(json(202, { mfa: { methods: due.methods } }), [serializeChallengeCookie(due.challenge, due.expiresAt, now, getEdgeConfig().appUrl)]);
}

const signOut = handler(async (request) => {
  const refused = await noBody(request);
  if (refused) return refused;
  const auth = await getAuth();
  await auth.resolve(TOKENS.SignOut).execute({ token: readSessionCookie(request, getEdgeConfig().appUrl), context: requestContext(request) });
  return withCookies(empty(204), [clearCookie()]);
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
    const result = await auth.resolve(TOKENS.DeleteAccount).execute({
      userId: who.user.id,
      sessionId: who.session.id,
      password: input.password,
      context: requestContext(request),
    });
    if (!result.ok) return failure(result.error, { credentials: ["password", "The password is incorrect."] });
    return withCookies(empty(204), [clearCookie()]);
  });
});

/** The identity routes (/api/auth/… and /api/account): sign-up, sign-in and sign-out, the address, the password, the account. */
/** A change of address: 202, the address moves when the link mailed to the new one is confirmed. */
const requestEmailChange = handler(async (request) => {
  const input = await body(request, NewEmailBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.RequestEmailChange).execute({
      userId: who.user.id,
      sessionId: who.session.id,
      newEmail: input.newEmail,
      context: requestContext(request),
    });
    if (!result.ok) return failure(result.error, { email: "newEmail" });
    return empty(202);
  });
});

const confirmEmailChange = handler(async (request) => {
  const input = await body(request, TokenBody);
  if (input instanceof Response) return input;
  const auth = await getAuth();
  const result = await auth.resolve(TOKENS.ConfirmEmailChange).execute({ token: input.token, context: requestContext(request) });
  if (!result.ok) return failure(result.error);
  return json(200, { user: presentUser(result.value.user) });
});

export const authHandlers = {
  signUp,
  signIn,
  signOut,
  verifyEmail,
  resendVerification,
  requestPasswordReset,
  confirmPasswordReset,
  changePassword,
  deleteAccount,
  requestEmailChange,
  confirmEmailChange,
} satisfies Record<string, Handler>;
