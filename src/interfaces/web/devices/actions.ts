"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { textField } from "../shared/form-state";
import { withNotice } from "../shared/notices";
import { redirectIfStale, requireActionViewer } from "../shared/session";
import { appUrl, useCase } from "../shared/use-cases";
import { DEVICE_PATH, userCodeCookieAttributes, userCodeCookieName, wellFormedUserCode } from "./user-code-cookie";

/*
 * Server actions of the /device page and of the device list on the settings page. Each authenticates
 * the session again through the application layer before doing anything, and answers with a redirect,
 * so the page works the same without JavaScript.
 */

const SETTINGS = "/dashboard/settings";

/** The code typed on the page: kept (canonical) in the page's cookie, then the page shows the device. */
export async function enterDeviceCodeAction(form: FormData): Promise<void> {
  await requireActionViewer(DEVICE_PATH);
  const code = wellFormedUserCode(textField(form, "user_code", 64));
  if (!code) redirect(`${DEVICE_PATH}?problem=INVALID_USER_CODE`);
  (await cookies()).set(userCodeCookieName(appUrl()), code, userCodeCookieAttributes(appUrl()));
  redirect(DEVICE_PATH);
}

/** Forgets the code (a mistyped one, or after a decision). */
export async function clearDeviceCodeAction(): Promise<void> {
  await requireActionViewer(DEVICE_PATH);
  (await cookies()).set(userCodeCookieName(appUrl()), "", userCodeCookieAttributes(appUrl(), 0));
  redirect(DEVICE_PATH);
}

/** Approve or Deny. Approving needs a fresh session: a stale one goes through /reauthenticate and back. */
export async function decideDeviceAction(form: FormData): Promise<void> {
  const viewer = await requireActionViewer(DEVICE_PATH);
  const decision = textField(form, "decision", 16) === "approve" ? "approve" : "deny";
  const decide = await useCase("decideDeviceAuthorization");
  const result = await decide.execute({
    userId: viewer.user.id,
    sessionId: viewer.session.id,
    userCode: textField(form, "user_code", 64),
    decision,
    context: viewer.context,
  });
  if (!result.ok) {
    redirectIfStale(result.error, DEVICE_PATH);
    redirect(`${DEVICE_PATH}?problem=${result.error.code}`);
  }
  (await cookies()).set(userCodeCookieName(appUrl()), "", userCodeCookieAttributes(appUrl(), 0));
  redirect(`${DEVICE_PATH}?done=${result.value.decision}`);
}

/** Signs one of the viewer's devices out, from the settings page. */
export async function revokeDeviceAction(form: FormData): Promise<void> {
  const viewer = await requireActionViewer(SETTINGS);
  const revoke = await useCase("revokeDeviceToken");
  const result = await revoke.execute({ userId: viewer.user.id, deviceTokenId: textField(form, "deviceId", 256), context: viewer.context });
  revalidatePath(SETTINGS);
  redirect(withNotice(SETTINGS, result.ok ? "device-revoked" : "device-not-found"));
}
