"use server";

import { redirect } from "next/navigation";
import { answering, failure, fieldsFor } from "../shared/action-results";
import { textField, type FormState } from "../shared/form-state";
import { forgetLinkToken } from "../shared/link-token-store";
import { withNotice } from "../shared/notices";
import { clearSessionCookie, currentViewer, redirectIfStale, requestContext, requireActionViewer } from "../shared/session";
import { useCase } from "../shared/use-cases";

/*
 * Server actions of the change of address: asking for it on the settings page (fresh authentication),
 * and confirming it from the link mailed to the new address.
 */

const SETTINGS = "/dashboard/settings";

export async function requestEmailChangeAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    const viewer = await requireActionViewer(SETTINGS);
    const newEmail = textField(form, "newEmail", 320);
    const request = await useCase("requestEmailChange");
    const result = await request.execute({ userId: viewer.user.id, sessionId: viewer.session.id, newEmail, context: viewer.context });
    if (!result.ok) {
      if (result.error.code === "UNAUTHENTICATED") {
        await clearSessionCookie();
        redirect(`/sign-in?next=${encodeURIComponent(SETTINGS)}`);
      }
      redirectIfStale(result.error, SETTINGS);
      const fields = result.error.code === "EMAIL_TAKEN" ? { newEmail: "Another account uses this address." } : fieldsFor(result.error, { email: "newEmail" });
      return failure(previous, result.error, { newEmail }, fields);
    }
    return {
      tone: "success",
      message: `We sent a link to ${newEmail.trim()}. Your address changes when you open it; until then it stays ${viewer.user.email}.`,
      attempt: (previous.attempt ?? 0) + 1,
    };
  });
}

export async function confirmEmailChangeAction(previous: FormState, form: FormData): Promise<FormState> {
  return answering(previous, async () => {
    const token = textField(form, "token", 512);
    const confirm = await useCase("confirmEmailChange");
    const result = await confirm.execute({ token, context: await requestContext() });
    if (!result.ok) return failure(previous, result.error);
    await forgetLinkToken("confirm-email");
    redirect(withNotice((await currentViewer()) ? SETTINGS : "/sign-in", "email-changed"));
  });
}
