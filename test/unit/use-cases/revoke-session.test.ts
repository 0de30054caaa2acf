import { createInMemoryAuth, TEST_PASSWORD } from "../../../src/infrastructure/testing/in-memory-auth";

describe("RevokeSession", () => {
  it("signs out one device of the user and leaves the others", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const laptop = await auth.useCases.signIn.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: auth.context });
    if (!laptop.ok) throw new Error("sign-in failed");

    const result = await auth.useCases.revokeSession.execute({ userId: ann.user.id, sessionId: laptop.value.session.id, context: auth.context });

    expect(result.ok).toBe(true);
    expect((await auth.useCases.authenticateSession.execute({ token: laptop.value.token })).ok).toBe(false);
    expect((await auth.useCases.authenticateSession.execute({ token: ann.token })).ok).toBe(true);
    expect((await auth.stores.events.listForUser(ann.user.id, 1))[0]?.type).toBe("session.revoked");
  });

  it("answers not found for someone else's session and leaves it alone", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const bob = await auth.registerUser({ email: "bob@example.com" });

    const result = await auth.useCases.revokeSession.execute({ userId: ann.user.id, sessionId: bob.session.id });

    expect(!result.ok && result.error).toMatchObject({ code: "NOT_FOUND", message: "Session was not found." });
    expect((await auth.useCases.authenticateSession.execute({ token: bob.token })).ok).toBe(true);
  });

  it("answers not found for an unknown id", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const result = await auth.useCases.revokeSession.execute({ userId: ann.user.id, sessionId: "unknown" });
    expect(!result.ok && result.error.code).toBe("NOT_FOUND");
  });

  it("ends the successor when given the id of a session rotated moments ago", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    auth.clock.advance({ seconds: auth.settings.session.rotateAfterSeconds });
    const rotated = await auth.useCases.authenticateSession.execute({ token: ann.token });

    await auth.useCases.revokeSession.execute({ userId: ann.user.id, sessionId: ann.session.id });

    expect((await auth.useCases.authenticateSession.execute({ token: rotated.ok ? rotated.value.token! : "" })).ok).toBe(false);
  });
});
