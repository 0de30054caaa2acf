"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { answering, failure, fieldsFor } from "../shared/action-results";
import type { CreateApiKeyState } from "../shared/form-state";
import { textField } from "../shared/form-state";
import { withNotice } from "../shared/notices";
import { clearSessionCookie, redirectIfStale, requireActionViewer } from "../shared/session";
import { useCase } from "../shared/use-cases";

/*
 * Server actions of the API-keys page. Each one authenticates the session again through the
 * application layer (requireActionViewer) before doing anything.
 */

const API_KEYS = "/dashboard/api-keys";

export async function createApiKeyAction(previous: CreateApiKeyState, form: FormData): Promise<CreateApiKeyState> {
  return answering(previous, async () => {
    const viewer = await requireActionViewer(API_KEYS);
    const name = textField(form, "name", 200);
    const createApiKey = await useCase("createApiKey");
    const result = await createApiKey.execute({ userId: viewer.user.id, sessionId: viewer.session.id, name, context: viewer.context });
    if (!result.ok) {
      if (result.error.code === "UNAUTHENTICATED") {
        await clearSessionCookie();
        redirect(`/sign-in?next=${encodeURIComponent(API_KEYS)}`);
      }
      redirectIfStale(result.error, API_KEYS);
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
