"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { answering, failure } from "../shared/action-results";
import { clearChallengeCookie, readChallenge } from "../shared/challenge";
import { textField, type FormState } from "../shared/form-state";
import { withNotice } from "../shared/notices";
import { safeNextPath } from "../shared/safe-next-path";
import { redirectIfStale, requestContext, requireActionViewer, sessionTokenFromCookie, setSessionCookie } from "../shared/session";
import { useCase } from "../shared/use-cases";
import type { RecoveryCodesState } from "./recovery-codes-state";

/*
 * Server actions of the second factor: the second step of a sign-in, and the authenticator app and
 * recovery codes on the security page. Every rule (single-use codes, throttle, challenge) lives in
 * the use cases; these only read the form and the cookies.
 */

const SECURITY = "/dashboard/security";

/** `{code}` or `{recoveryCode}` from whichever of the two forms was sent. */
function proofFrom(form: FormData): { code: string } | { recoveryCode: string } {
  return textField(form, "method", 32) === "recovery-code" ? { recoveryCode: textField(form, "recoveryCode", 64) } : { code: textField(form, "code", 64) };
}

export async function completeSignInAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    const next = safeNextPath(textField(form, "next"));
    const completeSignIn = await useCase("completeSignIn");
    const result = await completeSignIn.execute({
      challenge: await readChallenge(),
      ...proofFrom(form),
      context: await requestContext(),
      currentToken: await sessionTokenFromCookie(),
    });
    if (!result.ok) {
      if (result.error.code === "MFA_CHALLENGE_INVALID") {
        await clearChallengeCookie();
        redirect(withNotice(`/sign-in?next=${encodeURIComponent(next)}`, "mfa-sign-in-expired"));
      }
      return failure(previous, result.error, {}, (result.error as { fields?: Record<string, string> }).fields);
    }
    await clearChallengeCookie();
    await setSessionCookie(result.value.token, result.value.session.expiresAt);
    redirect(next);
  });
}

export async function setUpTotpAction(_form: FormData): Promise<void> {
  const viewer = await requireActionViewer(SECURITY);
  const setUp = await useCase("setUpTotp");
  const result = await setUp.execute({ userId: viewer.user.id, sessionId: viewer.session.id });
  if (!result.ok) redirectIfStale(result.error, SECURITY);
  revalidatePath(SECURITY);
  redirect(result.ok ? `${SECURITY}#totp` : withNotice(SECURITY, "mfa-already-on"));
}

export async function enableTotpAction(previous: RecoveryCodesState, form: FormData): Promise<RecoveryCodesState> {
  return answering(previous, async () => {
    const viewer = await requireActionViewer(SECURITY);
    const enable = await useCase("enableTotp");
    const result = await enable.execute({ userId: viewer.user.id, code: textField(form, "code", 64), context: viewer.context });
    if (!result.ok) return failure(previous, result.error, {}, (result.error as { fields?: Record<string, string> }).fields);
    revalidatePath(SECURITY);
    return {
      tone: "success",
      message: "Two-step verification is on. Save your recovery codes now: they are shown only this once.",
      recoveryCodes: result.value.recoveryCodes,
      attempt: (previous.attempt ?? 0) + 1,
    };
  });
}

export async function regenerateRecoveryCodesAction(previous: RecoveryCodesState, _form: FormData): Promise<RecoveryCodesState> {
  return answering(previous, async () => {
    const viewer = await requireActionViewer(SECURITY);
    const regenerate = await useCase("regenerateRecoveryCodes");
    const result = await regenerate.execute({ userId: viewer.user.id, sessionId: viewer.session.id, context: viewer.context });
    if (!result.ok) {
      redirectIfStale(result.error, SECURITY);
      return failure(previous, result.error);
    }
    return {
      tone: "success",
      message: "New recovery codes made; the old ones no longer work. Save these now: they are shown only this once.",
      recoveryCodes: result.value.recoveryCodes,
      attempt: (previous.attempt ?? 0) + 1,
    };
  });
}

export async function disableTotpAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    const viewer = await requireActionViewer(SECURITY);
    const disable = await useCase("disableTotp");
    const result = await disable.execute({ userId: viewer.user.id, sessionId: viewer.session.id, ...proofFrom(form), context: viewer.context });
    if (!result.ok) redirectIfStale(result.error, SECURITY);
    if (!result.ok) return failure(previous, result.error, {}, (result.error as { fields?: Record<string, string> }).fields);
    revalidatePath(SECURITY);
    redirect(withNotice(SECURITY, "mfa-disabled"));
  });
}
