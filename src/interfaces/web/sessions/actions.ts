"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { answering, failure } from "../shared/action-results";
import { textField, type FormState } from "../shared/form-state";
import { safeNextPath } from "../shared/safe-next-path";
import { withNotice } from "../shared/notices";
import { clearSessionCookie, requestContext, requireActionViewer, sessionTokenFromCookie, setSessionCookie } from "../shared/session";
import { useCase } from "../shared/use-cases";

/*
 * Server actions of the sessions: sign out here, everywhere, or end one session. Each one
 * authenticates the session again through the application layer (requireActionViewer) before doing
 * anything: an action is a POST endpoint that anyone can call, whatever page it was rendered on.
 */

const SETTINGS = "/dashboard/settings";

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

/** Step-up: the password again; the session moves to a new, fresh id and the user goes back to `next`. */
export async function reauthenticateAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    const next = safeNextPath(textField(form, "next"));
    const viewer = await requireActionViewer(`/reauthenticate?next=${encodeURIComponent(next)}`);
    const password = textField(form, "password");
    const reauthenticate = await useCase("reauthenticate");
    const result = await reauthenticate.execute({
      userId: viewer.user.id,
      sessionId: viewer.session.id,
      password,
      code: textField(form, "code", 64),
      recoveryCode: textField(form, "recoveryCode", 64),
      context: viewer.context,
    });
    if (!result.ok) {
      if (result.error.code === "UNAUTHENTICATED") {
        await clearSessionCookie();
        redirect(`/sign-in?next=${encodeURIComponent(next)}`);
      }
      const fields =
        result.error.code === "INVALID_CREDENTIALS"
          ? { password: "This is not your password." }
          : (result.error as { fields?: Record<string, string> }).fields;
      return failure(previous, result.error, {}, fields);
    }
    await setSessionCookie(result.value.token, result.value.session.expiresAt);
    redirect(next);
  });
}
