/** Runs once when the server starts (not during `next build`): a bad configuration stops it right away. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { checkConfigurationAtStart } = await import("../src/infrastructure/di");
  checkConfigurationAtStart();
}
