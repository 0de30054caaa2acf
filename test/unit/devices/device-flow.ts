import type { InMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";

/** Test data builder: a device flow run to its end for `user`, yielding the device token. */
export async function deviceTokenFor(auth: InMemoryAuth, user: { user: { id: string }; session: { id: string }; password: string }): Promise<string> {
  const started = await auth.useCases.startDeviceAuthorization.execute({ clientId: "cli", context: auth.context });
  if (!started.ok) throw new Error(started.error.code);
  const decided = await auth.useCases.decideDeviceAuthorization.execute({
    userId: user.user.id,
    sessionId: user.session.id,
    userCode: started.value.userCode,
    decision: "approve",
    context: auth.context,
  });
  if (!decided.ok) throw new Error(decided.error.code);
  const exchanged = await auth.useCases.exchangeDeviceCode.execute({ clientId: "cli", deviceCode: started.value.deviceCode });
  if (!exchanged.ok) throw new Error(exchanged.error.code);
  return exchanged.value.accessToken;
}
