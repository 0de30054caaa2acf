import { createInMemoryAuth, type InMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";
import { deviceTokenFor } from "../devices/device-flow";

async function setUp() {
  const auth = createInMemoryAuth();
  const ann = await auth.registerUser({ email: "ann@example.com" });
  return { auth, ann };
}

async function apiKeyFor(auth: InMemoryAuth, userId: string): Promise<{ id: string; secret: string }> {
  const sessionId = [...auth.db.tables.sessions.values()].find((row) => row.userId === userId)!.id;
  const created = await auth.useCases.createApiKey.execute({ userId, sessionId, name: "deploy" });
  if (!created.ok) throw new Error(created.error.code);
  return { id: created.value.apiKey.id, secret: created.value.secret };
}

describe("AuthenticateRequest", () => {
  it("names the user and the session behind a session cookie", async () => {
    const { auth, ann } = await setUp();
    const result = await auth.useCases.authenticateRequest.execute({ sessionToken: ann.token, context: auth.context });
    expect(result.ok && result.value.user.id).toBe(ann.user.id);
    expect(result.ok && result.value.credential).toEqual({ kind: "session", id: ann.session.id, name: "jest" });
  });

  it("names the user and the key behind an API key", async () => {
    const { auth, ann } = await setUp();
    const key = await apiKeyFor(auth, ann.user.id);
    const result = await auth.useCases.authenticateRequest.execute({ bearer: key.secret });
    expect(result.ok && result.value.credential).toEqual({ kind: "api-key", id: key.id, name: "deploy" });
    expect(result.ok && result.value.session).toBeNull();
  });

  it("names the user and the device behind a device token", async () => {
    const { auth, ann } = await setUp();
    const token = await deviceTokenFor(auth, ann);
    expect(token).toMatch(/^nah_dt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const result = await auth.useCases.authenticateRequest.execute({ bearer: token });
    expect(result.ok && result.value.user.id).toBe(ann.user.id);
    expect(result.ok && result.value.credential).toMatchObject({ kind: "device", name: "nextauth-hex command line" });
  });

  it("refuses a session token presented as a bearer, and never falls back to the cookie", async () => {
    const { auth, ann } = await setUp();
    expect((await auth.useCases.authenticateRequest.execute({ bearer: ann.token })).ok).toBe(false);
    expect((await auth.useCases.authenticateRequest.execute({ bearer: "", sessionToken: ann.token })).ok).toBe(false);
    expect((await auth.useCases.authenticateRequest.execute({ bearer: "nonsense", sessionToken: ann.token })).ok).toBe(false);
  });

  it("refuses a key or token whose secret part is wrong, a revoked key and a revoked or expired device token", async () => {
    const { auth, ann } = await setUp();
    const key = await apiKeyFor(auth, ann.user.id);
    const forged = key.secret.slice(0, -4) + (key.secret.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect((await auth.useCases.authenticateRequest.execute({ bearer: forged })).ok).toBe(false);
    await auth.useCases.revokeApiKey.execute({ userId: ann.user.id, apiKeyId: key.id });
    expect((await auth.useCases.authenticateRequest.execute({ bearer: key.secret })).ok).toBe(false);

    const token = await deviceTokenFor(auth, ann);
    const listed = await auth.useCases.listDeviceTokens.execute({ userId: ann.user.id });
    const device = listed.ok ? listed.value[0] : undefined;
    await auth.useCases.revokeDeviceToken.execute({ userId: ann.user.id, deviceTokenId: device!.id });
    expect((await auth.useCases.authenticateRequest.execute({ bearer: token })).ok).toBe(false);

    const later = await deviceTokenFor(auth, ann);
    auth.clock.advance({ seconds: auth.settings.device.tokenTtlSeconds });
    expect((await auth.useCases.authenticateRequest.execute({ bearer: later })).ok).toBe(false);
  });

  it("records last use at most once a minute per credential", async () => {
    const { auth, ann } = await setUp();
    const key = await apiKeyFor(auth, ann.user.id);
    const first = auth.clock.now();
    await auth.useCases.authenticateRequest.execute({ bearer: key.secret });
    auth.clock.advance({ seconds: 30 });
    await auth.useCases.authenticateRequest.execute({ bearer: key.secret });
    expect((await auth.stores.apiKeys.findByPrefix(key.secret.slice(3, 19)))?.lastUsedAt).toEqual(first);
    auth.clock.advance({ seconds: 31 });
    await auth.useCases.authenticateRequest.execute({ bearer: key.secret });
    expect((await auth.stores.apiKeys.findByPrefix(key.secret.slice(3, 19)))?.lastUsedAt).toEqual(auth.clock.now());
  });

  it.each([
    ["sign-out-all", (auth: InMemoryAuth, ann: Awaited<ReturnType<typeof setUp>>["ann"]) => auth.useCases.revokeAllSessions.execute({ userId: ann.user.id })],
    [
      "a password change",
      (auth: InMemoryAuth, ann: Awaited<ReturnType<typeof setUp>>["ann"]) =>
        auth.useCases.changePassword.execute({ userId: ann.user.id, sessionId: ann.session.id, currentPassword: ann.password, newPassword: "Quiet-Harbour-71", context: auth.context }),
    ],
    ["account deletion", (auth: InMemoryAuth, ann: Awaited<ReturnType<typeof setUp>>["ann"]) => auth.useCases.deleteAccount.execute({ userId: ann.user.id, password: ann.password })],
  ])("ends device tokens on %s", async (_label, end) => {
    const { auth, ann } = await setUp();
    const token = await deviceTokenFor(auth, ann);
    expect((await auth.useCases.authenticateRequest.execute({ bearer: token })).ok).toBe(true);
    const ended = await end(auth, ann);
    expect(ended.ok).toBe(true);
    expect((await auth.useCases.authenticateRequest.execute({ bearer: token })).ok).toBe(false);
  });

  it("ends device tokens on a password reset", async () => {
    const { auth, ann } = await setUp();
    const token = await deviceTokenFor(auth, ann);
    await auth.useCases.requestPasswordReset.execute({ email: "ann@example.com", context: auth.context });
    const reset = await auth.useCases.resetPassword.execute({ token: auth.outbox.lastTokenFor("ann@example.com", "password-reset")!, password: "Quiet-Harbour-71" });
    expect(reset.ok).toBe(true);
    expect((await auth.useCases.authenticateRequest.execute({ bearer: token })).ok).toBe(false);
  });
});
