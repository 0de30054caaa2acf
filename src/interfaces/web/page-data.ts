import { API_KEY_NAME_MAX_LENGTH } from "../../domain/api-key/api-key";
import type { Viewer } from "./session";
import { authSettings, useCase } from "./use-cases";
import { apiKeyView, authEventView, sessionView, type ApiKeyView, type AuthEventView, type SessionView } from "./views";

/** What signed-in pages list, read through the use cases for the viewer only. */

export async function sessionsOf(viewer: Viewer): Promise<SessionView[]> {
  const listSessions = await useCase("listSessions");
  const result = await listSessions.execute({ userId: viewer.user.id, currentSessionId: viewer.session.id });
  if (!result.ok) return [];
  // This device first, then the most recently active.
  return result.value
    .map(({ session, current }) => sessionView(session, current))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

export async function apiKeysOf(viewer: Viewer): Promise<ApiKeyView[]> {
  const listApiKeys = await useCase("listApiKeys");
  const result = await listApiKeys.execute({ userId: viewer.user.id });
  return result.ok ? result.value.map(apiKeyView) : [];
}

// Routine bookkeeping a person cannot act on; listing it would bury what matters.
const NOT_SHOWN = new Set(["session.rotated"]);

export async function recentSecurityActivity(viewer: Viewer, limit = 15): Promise<AuthEventView[]> {
  const listAuthEvents = await useCase("listAuthEvents");
  const result = await listAuthEvents.execute({ userId: viewer.user.id, limit: limit * 2 });
  if (!result.ok) return [];
  return result.value.filter((event) => !NOT_SHOWN.has(event.type)).slice(0, limit).map(authEventView);
}

export async function passwordRules(): Promise<{ minLength: number; maxLength: number }> {
  const { password } = await authSettings();
  return { minLength: password.minLength, maxLength: password.maxLength };
}

export async function sessionLimits(): Promise<{ idleTimeoutSeconds: number; maxAgeSeconds: number }> {
  const { session } = await authSettings();
  return { idleTimeoutSeconds: session.idleTimeoutSeconds, maxAgeSeconds: session.maxAgeSeconds };
}

export const apiKeyNameMaxLength = API_KEY_NAME_MAX_LENGTH;
