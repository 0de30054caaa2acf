import { InvalidInput } from "../../domain/shared/domain-error";
import { getAuth, getEdgeConfig, TOKENS } from "../../infrastructure/di";
import { requestContext } from "./shared/authenticate";
import { clearChallengeCookie, readChallengeCookie } from "./shared/challenge-cookie";
import { SecondFactorBody, TotpCodeBody } from "./shared/dtos";
import { body, failure, handler, type Handler, noBody, sessionCookie, signedIn } from "./shared/handler";
import { presentUser } from "./shared/presenters";
import { empty, json, withCookies } from "./shared/responses";
import { readSessionCookie } from "./shared/session-cookie";

/** `{code}` or `{recoveryCode}`, exactly one; a 400 naming both fields otherwise. */
function secondFactorProof(input: SecondFactorBody): { code: string } | { recoveryCode: string } | Response {
  if (typeof input.code === "string" && input.recoveryCode === undefined) return { code: input.code };
  if (typeof input.recoveryCode === "string" && input.code === undefined) return { recoveryCode: input.recoveryCode };
  const message = "Send either the code from the app or a recovery code.";
  return failure(new InvalidInput(message, { code: message, recoveryCode: message }));
}

const status = handler(async (request) =>
  signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.GetMfaStatus).execute({ userId: who.user.id });
    return json(200, { totp: result.totp, enabledAt: result.enabledAt?.toISOString() ?? null, recoveryCodesLeft: result.recoveryCodesLeft });
  }),
);

const setUpTotp = handler(async (request) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.SetUpTotp).execute({ userId: who.user.id, sessionId: who.session.id });
    if (!result.ok) return failure(result.error);
    return json(200, result.value);
  });
});

const enableTotp = handler(async (request) => {
  const input = await body(request, TotpCodeBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.EnableTotp).execute({ userId: who.user.id, code: input.code, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return json(200, { recoveryCodes: result.value.recoveryCodes });
  });
});

const disableTotp = handler(async (request) => {
  const input = await body(request, SecondFactorBody);
  if (input instanceof Response) return input;
  const proof = secondFactorProof(input);
  if (proof instanceof Response) return proof;
  return signedIn(request, async (who, auth) => {
    const result = await auth
      .resolve(TOKENS.DisableTotp)
      .execute({ userId: who.user.id, sessionId: who.session.id, ...proof, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return empty(204);
  });
});

const regenerateRecoveryCodes = handler(async (request) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const result = await auth
      .resolve(TOKENS.RegenerateRecoveryCodes)
      .execute({ userId: who.user.id, sessionId: who.session.id, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return json(200, { recoveryCodes: result.value.recoveryCodes });
  });
});

/** The second step of a sign-in: the challenge cookie plus a code opens the session; the cookie goes. */
const completeSignIn = handler(async (request) => {
  const input = await body(request, SecondFactorBody);
  if (input instanceof Response) return input;
  const proof = secondFactorProof(input);
  if (proof instanceof Response) return proof;
  const auth = await getAuth();
  const appUrl = getEdgeConfig().appUrl;
  const result = await auth.resolve(TOKENS.CompleteSignIn).execute({
    challenge: readChallengeCookie(request, appUrl),
    ...proof,
    context: requestContext(request),
    currentToken: readSessionCookie(request, appUrl),
  });
  if (!result.ok) {
    const refusal = failure(result.error);
    // A dead challenge is dropped; after a wrong code it stays for another try.
    return result.error.code === "MFA_CHALLENGE_INVALID" ? withCookies(refusal, [clearChallengeCookie(appUrl)]) : refusal;
  }
  const { user, session, token } = result.value;
  return withCookies(json(200, { user: presentUser(user) }), [sessionCookie(auth, token, session.expiresAt), clearChallengeCookie(appUrl)]);
});

/** The second-factor routes: the authenticator app, recovery codes, and the second step of a sign-in. */
export const mfaHandlers = {
  status,
  setUpTotp,
  enableTotp,
  disableTotp,
  regenerateRecoveryCodes,
  completeSignIn,
} satisfies Record<string, Handler>;
