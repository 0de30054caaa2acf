/** Runs once when the server starts (not during `next build`): a bad configuration stops it right away. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { checkConfigurationAtStart, getAuth, getLogger, surviveClosedLogPipes } = await import("../src/infrastructure/di");
  surviveClosedLogPipes();
  checkConfigurationAtStart();
  const { installLoadShedding } = await import("../src/interfaces/http/shared/load-shedding");
  installLoadShedding();
  const { installRequestObserver, logServerStart } = await import("../src/interfaces/server");
  installRequestObserver();
  logServerStart();
  // Started in the background, so the outbox dispatcher resumes mail a crashed process left claimed
  // or queued even if no request comes. A database not reachable yet is tried again by the first request.
  getAuth().catch((error: unknown) => {
    getLogger().warn(`[auth] not started yet (${error instanceof Error ? error.message : String(error)}); the first request tries again`, { event: "start" });
  });
}
