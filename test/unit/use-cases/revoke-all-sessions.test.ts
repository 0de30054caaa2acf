import { createInMemoryAuth, TEST_CONTEXT, TEST_PASSWORD } from "../../../src/infrastructure/testing/in-memory-auth";

describe("RevokeAllSessions", () => {
  it("ends every session of the user, this one included, and no one else's", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const bob = await auth.registerUser({ email: "bob@example.com" });
    const second = await auth.useCases.signIn.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT });

    const result = await auth.useCases.revokeAllSessions.execute({ userId: ann.user.id, context: TEST_CONTEXT });

    expect(result.ok && result.value.revoked).toBe(2);
    expect((await auth.useCases.authenticateSession.execute({ token: ann.token })).ok).toBe(false);
    expect((await auth.useCases.authenticateSession.execute({ token: second.ok ? second.value.token : "" })).ok).toBe(false);
    expect((await auth.useCases.authenticateSession.execute({ token: bob.token })).ok).toBe(true);
    expect((await auth.stores.events.listForUser(ann.user.id, 1))[0]).toMatchObject({ type: "sessions.revoked-all", detail: { count: "2" } });
  });

  it("ends a predecessor still inside its rotation grace", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    auth.clock.advance({ seconds: auth.settings.session.rotateAfterSeconds });
    expect((await auth.useCases.authenticateSession.execute({ token: ann.token })).ok).toBe(true);

    await auth.useCases.revokeAllSessions.execute({ userId: ann.user.id });

    expect((await auth.useCases.authenticateSession.execute({ token: ann.token })).ok).toBe(false);
  });

  it("does nothing for an unknown user", async () => {
    const auth = createInMemoryAuth();
    const result = await auth.useCases.revokeAllSessions.execute({ userId: "nobody" });
    expect(result.ok && result.value.revoked).toBe(0);
    expect(auth.stores.events.all()).toHaveLength(0);
  });
});
