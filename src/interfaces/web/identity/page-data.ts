import type { Viewer } from "../shared/session";
import { authSettings, useCase } from "../shared/use-cases";
import { authEventView, type AuthEventView } from "../shared/views";

/** What the account pages show, read through the use cases for the viewer only. */

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
