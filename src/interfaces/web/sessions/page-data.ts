import type { Viewer } from "../shared/session";
import { authSettings, useCase } from "../shared/use-cases";
import { sessionView, type SessionView } from "../shared/views";

/** The viewer's sessions and the limits they live by. */

export async function sessionsOf(viewer: Viewer): Promise<SessionView[]> {
  const listSessions = await useCase("listSessions");
  const result = await listSessions.execute({ userId: viewer.user.id, currentSessionId: viewer.session.id });
  if (!result.ok) return [];
  // This device first, then the most recently active.
  return result.value
    .map(({ session, current }) => sessionView(session, current))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

export async function sessionLimits(): Promise<{ idleTimeoutSeconds: number; maxAgeSeconds: number }> {
  const { session } = await authSettings();
  return { idleTimeoutSeconds: session.idleTimeoutSeconds, maxAgeSeconds: session.maxAgeSeconds };
}
