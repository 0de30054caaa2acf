"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { answering, failure, fieldsFor, signUpFields } from "../shared/action-results";
import type { FormState } from "../shared/form-state";
import { textField } from "../shared/form-state";
import { mailRefusalFor } from "../shared/messages";
import { withNotice } from "../shared/notices";
import { safeNextPath } from "../shared/safe-next-path";
import { clearSessionCookie, currentViewer, redirectIfStale, requestContext, requireActionViewer, sessionTokenFromCookie, setSessionCookie } from "../shared/session";
import { refuseWhileHashingIsFull, useCase } from "../shared/use-cases";
import { forgetLinkToken } from "../shared/link-token-store";
import { setChallengeCookie } from "../shared/challenge";
import { passwordRefusal } from "./password-refusal";

const SETTINGS = "/dashboard/settings";

/*
 * Server actions of the account: sign-up and sign-in, the address, the password, the account itself.
 * Throttling, enumeration resistance and every rule live in the use cases, so these forms are held to
 * exactly the same limits as the JSON API. Next.js checks that an action's Origin matches the host
 * before any of this runs.
 */

export async function signUpAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    refuseWhileHashingIsFull();
    const email = textField(form, "email", 320);
    const password = textField(form, "password");
    const next = safeNextPath(textField(form, "next"));
    const signUp = await useCase("signUp");
    const result = await signUp.execute({
      email,
      password,
      context: await requestContext(),
      currentToken: await sessionTokenFromCookie(),
    });
    if (!result.ok) {
      const alsoPassword = result.error.code === "INVALID_EMAIL" ? await passwordRefusal(password) : null;
      return failure(previous, result.error, { email }, signUpFields(result.error, alsoPassword));
    }
    await setSessionCookie(result.value.token, result.value.session.expiresAt);
    redirect(next);
  });
}

export async function signInAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    refuseWhileHashingIsFull();
    const email = textField(form, "email", 320);
    const password = textField(form, "password");
    const next = safeNextPath(textField(form, "next"));
    const signIn = await useCase("signIn");
    const result = await signIn.execute({
      email,
      password,
      context: await requestContext(),
      currentToken: await sessionTokenFromCookie(),
    });
    if (!result.ok) {
      if (result.error.code === "MFA_REQUIRED") {
        // No session yet: the second step's page takes the code, with the challenge in its cookie.
        await setChallengeCookie(result.error.challenge, result.error.expiresAt);
        redirect(`/sign-in/mfa?next=${encodeURIComponent(next)}`);
      }
      // Wrong e-mail and wrong password are one answer, so neither field is singled out.
      const fields = result.error.code === "INVALID_CREDENTIALS" ? undefined : fieldsFor(result.error, { password: "password" });
      return failure(previous, result.error, { email }, fields);
    }
    await setSessionCookie(result.value.token, result.value.session.expiresAt);
    redirect(next);
  });
}

export async function requestPasswordResetAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    const email = textField(form, "email", 320);
    const requestReset = await useCase("requestPasswordReset");
    const result = await requestReset.execute({ email, context: await requestContext() });
    if (!result.ok) return failure(previous, result.error, { email }, fieldsFor(result.error));
    // The same words whether or not an account exists: the page must not tell who has one.
    return {
      tone: "success",
      message: `If an account exists for ${email.trim()}, we have sent it a link to choose a new password. The link works for a limited time; check your spam folder if nothing arrives.`,
      values: { email },
      attempt: (previous.attempt ?? 0) + 1,
    };
  });
}

export async function resetPasswordAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    const token = textField(form, "token", 512);
    const password = textField(form, "password");
    const resetPassword = await useCase("resetPassword");
    const result = await resetPassword.execute({ token, password, context: await requestContext() });
    // On failure the cookie stays, so the page comes back with the form and its message.
    if (!result.ok) return failure(previous, result.error, {}, fieldsFor(result.error, { password: "password" }));
    await forgetLinkToken("reset-password");
    // Every session of the account was revoked, this browser's included.
    await clearSessionCookie();
    redirect(withNotice("/sign-in", "password-reset"));
  });
}

export async function verifyEmailAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    const token = textField(form, "token", 512);
    const verifyEmail = await useCase("verifyEmail");
    const result = await verifyEmail.execute({ token, context: await requestContext() });
    if (!result.ok) return failure(previous, result.error);
    await forgetLinkToken("verify-email");
    // The link may be opened in a browser that is not signed in: the dashboard would send it to sign-in anyway.
    redirect(withNotice((await currentViewer()) ? "/dashboard" : "/sign-in", "email-verified"));
  });
}

export async function resendVerificationAction(previous: FormState, _form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    const viewer = await requireActionViewer("/verify-email");
    const resend = await useCase("resendVerification");
    const result = await resend.execute({ userId: viewer.user.id, context: viewer.context });
    if (!result.ok) return { ...failure(previous, result.error), message: mailRefusalFor(result.error) };
    const message = result.value.sent
      ? `We sent a new verification link to ${viewer.user.email}. Earlier links no longer work.`
      : "Your e-mail address is already verified.";
    return { tone: "success", message, attempt: (previous.attempt ?? 0) + 1 };
  });
}

export async function changePasswordAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    const viewer = await requireActionViewer(SETTINGS);
    const currentPassword = textField(form, "currentPassword");
    const newPassword = textField(form, "newPassword");
    const changePassword = await useCase("changePassword");
    const result = await changePassword.execute({
      userId: viewer.user.id,
      sessionId: viewer.session.id,
      currentPassword,
      newPassword,
      context: viewer.context,
    });
    if (!result.ok) {
      if (result.error.code === "UNAUTHENTICATED") {
        await clearSessionCookie();
        redirect(`/sign-in?next=${encodeURIComponent(SETTINGS)}`);
      }
      const fields =
        result.error.code === "INVALID_CREDENTIALS"
          ? { currentPassword: "This is not your current password." }
          : fieldsFor(result.error, { password: "newPassword" });
      return failure(previous, result.error, {}, fields);
    }
    // This device continues on a brand-new session; every other one has ended.
    await setSessionCookie(result.value.token, result.value.session.expiresAt);
    revalidatePath(SETTINGS);
    return {
      tone: "success",
      message: "Your password was changed. Every other device was signed out, and we sent you an e-mail about it.",
      attempt: (previous.attempt ?? 0) + 1,
    };
  });
}

export async function deleteAccountAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    const viewer = await requireActionViewer(SETTINGS);
    const password = textField(form, "password");
    const deleteAccount = await useCase("deleteAccount");
    const result = await deleteAccount.execute({ userId: viewer.user.id, sessionId: viewer.session.id, password, context: viewer.context });
    if (!result.ok) {
      if (result.error.code === "UNAUTHENTICATED") {
        await clearSessionCookie();
        redirect("/sign-in");
      }
      redirectIfStale(result.error, SETTINGS);
      const fields = result.error.code === "INVALID_CREDENTIALS" ? { password: "This is not your password." } : undefined;
      return failure(previous, result.error, {}, fields);
    }
    await clearSessionCookie();
    redirect(withNotice("/sign-in", "account-deleted"));
  });
}
