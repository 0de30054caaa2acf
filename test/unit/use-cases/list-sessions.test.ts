import { createInMemoryAuth, TEST_PASSWORD } from "../../../src/infrastructure/testing/in-memory-auth";

describe("ListSessions", () => {
  it("lists the user's live sessions, newest first, flagging the current one", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    await auth.registerUser({ email: "bob@example.com" });
    auth.clock.advance({ minutes: 5 });
    const phone = await auth.useCases.signIn.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: { ip: "198.51.100.3", userAgent: "phone" } });
    const phoneId = phone.ok ? phone.value.session.id : "";

    const result = await auth.useCases.listSessions.execute({ userId: ann.user.id, currentSessionId: ann.session.id });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.map(({ session, current }) => [session.id, current])).toEqual([
      [phoneId, false],
      [ann.session.id, true],
    ]);
    expect(result.value[0]?.session.userAgent).toBe("phone");
  });

  it("leaves out revoked, idle, expired and rotated-out sessions", async () => {
    const auth = createInMemoryAuth({ settings: { session: { idleTimeoutSeconds: 3600, rotateAfterSeconds: 1800, rotationGraceSeconds: 10 } } });
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const revoked = await auth.useCases.signIn.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: auth.context });
    await auth.useCases.signOut.execute({ token: revoked.ok ? revoked.value.token : "" });
    const idle = await auth.useCases.signIn.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: auth.context });
    expect(idle.ok).toBe(true);

    auth.clock.advance({ minutes: 40 });
    const rotated = await auth.useCases.authenticateSession.execute({ token: ann.token });
    const liveId = rotated.ok ? rotated.value.session.id : "";
    auth.clock.advance({ minutes: 30 });

    const result = await auth.useCases.listSessions.execute({ userId: ann.user.id, currentSessionId: liveId });

    expect(result.ok && result.value.map(({ session, current }) => [session.id, current])).toEqual([[liveId, true]]);
  });
});
