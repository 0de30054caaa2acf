"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { textField } from "../shared/form-state";
import { withNotice } from "../shared/notices";
import { redirectIfStale, requireActionViewer } from "../shared/session";
import { useCase } from "../shared/use-cases";

const SECURITY = "/dashboard/security";

/**
 * Removes one of the viewer's passkeys: a plain form POST, so it works without JavaScript. A stale
 * session goes through /reauthenticate and back here.
 */
export async function removePasskeyAction(form: FormData): Promise<void> {
  const viewer = await requireActionViewer(SECURITY);
  const passkeyId = textField(form, "passkeyId", 256);
  const remove = await useCase("removePasskey");
  const result = await remove.execute({ userId: viewer.user.id, sessionId: viewer.session.id, passkeyId, context: viewer.context });
  if (!result.ok) redirectIfStale(result.error, SECURITY);
  revalidatePath(SECURITY);
  redirect(withNotice(SECURITY, result.ok ? "passkey-removed" : "passkey-not-found"));
}
