import { API_KEY_NAME_MAX_LENGTH } from "../../../domain/api-key/api-key";
import type { Viewer } from "../shared/session";
import { useCase } from "../shared/use-cases";
import { apiKeyView, type ApiKeyView } from "../shared/views";

/** The viewer's API keys. */

export async function apiKeysOf(viewer: Viewer): Promise<ApiKeyView[]> {
  const listApiKeys = await useCase("listApiKeys");
  const result = await listApiKeys.execute({ userId: viewer.user.id });
  return result.ok ? result.value.map(apiKeyView) : [];
}

export const apiKeyNameMaxLength = API_KEY_NAME_MAX_LENGTH;
