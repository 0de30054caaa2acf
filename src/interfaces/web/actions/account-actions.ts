"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { CreateApiKeyState, FormState } from "../form-state";
import { textField } from "../form-state";
import { withNotice } from "../notices";
import { clearSessionCookie, requestContext, requireActionViewer, sessionTokenFromCookie, setSessionCookie } from "../session";
import { useCase } from "../use-cases";
import { answering, failure, fieldsFor } from "./action-results";

/*
 * Server actions of the signed-in pages. Each one authenticates the session again through the
 * application layer (requireActionViewer) before doing anything: an action is a POST endpoint that
 * anyone can call, whatever page it was rendered on.
 */

const SETTINGS = "/dashboard/settings";
const API_KEYS = "/dashboard/api-keys";

export async function signOutAction(_form: FormData): Promise<void> {
  const signOut = await useCase("signOut");
  await signOut.execute({ token: await sessionTokenFromCookie(), context: await requestContext() });
  await clearSessionCookie();
  redirect(withNotice("/sign-in", "signed-out"));
}

export async function signOutEverywhereAction(_form: FormData): Promise<void> {
  const viewer = await requireActionViewer(SETTINGS);
  const revokeAll = await useCase("revokeAllSessions");
  await revokeAll.execute({ userId: viewer.user.id, context: viewer.context });
  await clearSessionCookie();
  redirect(withNotice("/sign-in", "signed-out-everywhere"));
}

export async function revokeSessionAction(form: FormData): Promise<void> {
  const viewer = await requireActionViewer(SETTINGS);
  const sessionId = textField(form, "sessionId", 256);
  if (sessionId === viewer.session.id) {
    // Ending the session in use is signing out; do it properly so the cookie goes too.
    await signOutAction(form);
    return;
  }
  const revoke = await useCase("revokeSession");
  const result = await revoke.execute({ userId: viewer.user.id, sessionId, context: viewer.context });
  revalidatePath(SETTINGS);
  redirect(withNotice(SETTINGS, result.ok ? "session-revoked" : "session-not-found"));
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
    const result = await deleteAccount.execute({ userId: viewer.user.id, password, context: viewer.context });
    if (!result.ok) {
      if (result.error.code === "UNAUTHENTICATED") {
        await clearSessionCookie();
        redirect("/sign-in");
      }
      const fields = result.error.code === "INVALID_CREDENTIALS" ? { password: "This is not your password." } : undefined;
      return failure(previous, result.error, {}, fields);
    }
    await clearSessionCookie();
    redirect(withNotice("/sign-in", "account-deleted"));
  });
}

export async function createApiKeyAction(previous: CreateApiKeyState, form: FormData): Promise<CreateApiKeyState> {
  return answering(previous, async () => {
    const viewer = await requireActionViewer(API_KEYS);
    const name = textField(form, "name", 200);
    const createApiKey = await useCase("createApiKey");
    const result = await createApiKey.execute({ userId: viewer.user.id, name, context: viewer.context });
    if (!result.ok) {
      if (result.error.code === "UNAUTHENTICATED") {
        await clearSessionCookie();
        redirect(`/sign-in?next=${encodeURIComponent(API_KEYS)}`);
      }
      return failure(previous, result.error, { name }, fieldsFor(result.error));
    }
    revalidatePath(API_KEYS);
    const { apiKey, secret } = result.value;
    return {
      tone: "success",
      message: `API key "${apiKey.name}" created.`,
      created: { id: apiKey.id, name: apiKey.name, secret },
      attempt: (previous.attempt ?? 0) + 1,
    };
  });
}

export async function revokeApiKeyAction(form: FormData): Promise<void> {
  const viewer = await requireActionViewer(API_KEYS);
  const apiKeyId = textField(form, "apiKeyId", 256);
  const revoke = await useCase("revokeApiKey");
  const result = await revoke.execute({ userId: viewer.user.id, apiKeyId, context: viewer.context });
  revalidatePath(API_KEYS);
  redirect(withNotice(API_KEYS, result.ok ? "api-key-revoked" : "api-key-not-found"));
}
