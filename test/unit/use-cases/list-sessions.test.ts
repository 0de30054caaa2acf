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

describe("A user's live sessions stay bounded", () => {
  it("signing in beyond SESSION_MAX_PER_USER ends the oldest sessions, and the list shows the newest only", async () => {
    const auth = createInMemoryAuth({ settings: { session: { maxActivePerUser: 3 } } });
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const tokens = [ann.token];
    const ids = [ann.session.id];
    for (let i = 0; i < 4; i++) {
      auth.clock.advance({ minutes: 1 });
      const signedIn = await auth.useCases.signIn.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: auth.context });
      if (!signedIn.ok) throw new Error(signedIn.error.code);
      tokens.push(signedIn.value.token);
      ids.push(signedIn.value.session.id);
    }

    const listed = await auth.useCases.listSessions.execute({ userId: ann.user.id, currentSessionId: ids[4]! });
    expect(listed.ok && listed.value.map(({ session }) => session.id)).toEqual([ids[4], ids[3], ids[2]]);

    // The two oldest no longer let anyone in; the three newest still do.
    const checks = await Promise.all(tokens.map((token) => auth.useCases.authenticateSession.execute({ token })));
    expect(checks.map((check) => check.ok)).toEqual([false, false, true, true, true]);
  });

  it("never ends another user's sessions", async () => {
    const auth = createInMemoryAuth({ settings: { session: { maxActivePerUser: 1 } } });
    const bob = await auth.registerUser({ email: "bob@example.com" });
    await auth.registerUser({ email: "ann@example.com" });
    await auth.useCases.signIn.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: auth.context });
    expect((await auth.useCases.authenticateSession.execute({ token: bob.token })).ok).toBe(true);
  });
});
