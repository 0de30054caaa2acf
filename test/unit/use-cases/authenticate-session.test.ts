import { createInMemoryAuth, TEST_CONTEXT } from "../../../src/infrastructure/testing/in-memory-auth";

const SESSION = {
  maxAgeSeconds: 10 * 86400,
  idleTimeoutSeconds: 3 * 86400,
  rotateAfterSeconds: 86400,
  rotationGraceSeconds: 30,
  touchIntervalSeconds: 60,
};

async function setup() {
  const auth = createInMemoryAuth({ settings: { session: SESSION } });
  const signedUp = await auth.registerUser({ email: "ann@example.com" });
  const authenticate = (token: string | null | undefined) => auth.useCases.authenticateSession.execute({ token, context: TEST_CONTEXT });
  return { auth, ...signedUp, authenticate };
}

describe("AuthenticateSession", () => {
  it("names the user and session of a valid cookie, leaving the cookie as it is", async () => {
    const { authenticate, token, user, session } = await setup();
    const result = await authenticate(token);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.user.id).toBe(user.id);
    expect(result.value.session.id).toBe(session.id);
    expect(result.value.token).toBeUndefined();
  });

  it.each([
    ["no cookie", undefined],
    ["an empty cookie", ""],
    ["a forged cookie", "st_forged"],
  ])("refuses %s", async (_label, token) => {
    const { authenticate } = await setup();
    const result = await authenticate(token);
    expect(!result.ok && result.error.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a token whose session row is gone or belongs to someone else", async () => {
    const { auth, authenticate, session, user } = await setup();
    const now = auth.clock.now();
    const forged = await auth.sessionTokens.sign({ sub: "someone-else", sid: session.id, issuedAt: now, expiresAt: session.expiresAt });
    const ghost = await auth.sessionTokens.sign({ sub: user.id, sid: "no-such-session", issuedAt: now, expiresAt: session.expiresAt });
    expect((await authenticate(forged)).ok).toBe(false);
    expect((await authenticate(ghost)).ok).toBe(false);
  });

  it("refuses a revoked session on the very next request", async () => {
    const { auth, authenticate, token, session } = await setup();
    await auth.stores.sessions.revoke(session.id, auth.clock.now());
    expect((await authenticate(token)).ok).toBe(false);
  });

  it("refuses a session left idle, while activity keeps it alive", async () => {
    const { auth, authenticate, token } = await setup();
    auth.clock.advance({ hours: 71 });
    let result = await authenticate(token);
    expect(result.ok).toBe(true);
    // Rotation has replaced the cookie by now; the new one is what the browser sends next.
    const current = (result.ok && result.value.token) || token;
    auth.clock.advance({ hours: 71 });
    result = await authenticate(current);
    expect(result.ok).toBe(true);
    auth.clock.advance({ hours: 72 });
    expect((await authenticate((result.ok && result.value.token) || current)).ok).toBe(false);
  });

  it("refuses a session past its absolute lifetime however active it was", async () => {
    const { auth, authenticate, token } = await setup();
    let current = token;
    for (let day = 0; day < 9; day++) {
      auth.clock.advance({ days: 1 });
      const result = await authenticate(current);
      expect(result.ok).toBe(true);
      if (result.ok && result.value.token) current = result.value.token;
    }
    auth.clock.advance({ days: 1 });
    expect((await authenticate(current)).ok).toBe(false);
  });

  it("refuses a cookie whose session was idle even when the token has not expired", async () => {
    const { auth, authenticate, token, session } = await setup();
    const row = auth.db.tables.sessions.get(session.id)!;
    auth.db.tables.sessions.set(session.id, { ...row, lastSeenAt: new Date(auth.clock.now().getTime() - 3 * 86400 * 1000) });
    expect((await authenticate(token)).ok).toBe(false);
  });

  it("writes lastSeenAt at most once per touch interval", async () => {
    const { auth, authenticate, token, session } = await setup();
    const start = auth.clock.now();
    auth.clock.advance({ seconds: 59 });
    await authenticate(token);
    expect((await auth.stores.sessions.findById(session.id))?.lastSeenAt).toEqual(start);
    auth.clock.advance({ seconds: 1 });
    const result = await authenticate(token);
    expect((await auth.stores.sessions.findById(session.id))?.lastSeenAt).toEqual(auth.clock.now());
    expect(result.ok && result.value.session.lastSeenAt).toEqual(auth.clock.now());
  });

  describe("rotation", () => {
    it("replaces an old-enough session by a new id with a new cookie, keeping its absolute expiry", async () => {
      const { auth, authenticate, token, session } = await setup();
      auth.clock.advance({ seconds: SESSION.rotateAfterSeconds });

      const result = await authenticate(token);

      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value.session.id).not.toBe(session.id);
      expect(result.value.session.expiresAt).toEqual(session.expiresAt);
      expect(result.value.token).toBeDefined();
      const renewed = await authenticate(result.value.token!);
      expect(renewed.ok && renewed.value.session.id).toBe(result.value.session.id);
      expect(renewed.ok && renewed.value.token).toBeUndefined();
      const old = await auth.stores.sessions.findById(session.id);
      expect(old).toMatchObject({ replacedBy: result.value.session.id, rotatedAt: auth.clock.now() });
      expect(auth.stores.events.all().filter((e) => e.type === "session.rotated")).toHaveLength(1);
    });

    it("hands a request with the old cookie inside the grace the successor, and refuses it after", async () => {
      const { auth, authenticate, token } = await setup();
      auth.clock.advance({ seconds: SESSION.rotateAfterSeconds });
      const rotated = await authenticate(token);
      const successorId = rotated.ok && rotated.value.session.id;

      auth.clock.advance({ seconds: SESSION.rotationGraceSeconds - 1 });
      const inFlight = await authenticate(token);
      expect(inFlight.ok && inFlight.value.session.id).toBe(successorId);
      expect(inFlight.ok && inFlight.value.token).toBeDefined();

      auth.clock.advance({ seconds: 1 });
      expect((await authenticate(token)).ok).toBe(false);
      expect((await authenticate(rotated.ok ? rotated.value.token : "")).ok).toBe(true);
    });

    it("does not fork the session when concurrent requests rotate it at once", async () => {
      const { auth, authenticate, token, user } = await setup();
      auth.clock.advance({ seconds: SESSION.rotateAfterSeconds });

      const results = await Promise.all([authenticate(token), authenticate(token), authenticate(token)]);

      const ids = results.map((result) => (result.ok ? result.value.session.id : "refused"));
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).not.toBe("refused");
      expect(results.every((result) => result.ok && result.value.token)).toBe(true);
      const live = await auth.stores.sessions.listUnrevokedForUser(user.id, auth.clock.now());
      expect(live.map((session) => session.id)).toEqual([ids[0]]);
    });

    it("refuses the old cookie in its grace once the successor was signed out", async () => {
      const { auth, authenticate, token } = await setup();
      auth.clock.advance({ seconds: SESSION.rotateAfterSeconds });
      const rotated = await authenticate(token);
      await auth.useCases.signOut.execute({ token: rotated.ok ? rotated.value.token : "" });
      expect((await authenticate(token)).ok).toBe(false);
    });

    it("refuses a successor that has itself gone", async () => {
      const { auth, authenticate, token } = await setup();
      auth.clock.advance({ seconds: SESSION.rotateAfterSeconds });
      const rotated = await authenticate(token);
      auth.db.tables.sessions.delete(rotated.ok ? rotated.value.session.id : "");
      expect((await authenticate(token)).ok).toBe(false);
    });

    it("refuses a request that loses the rotation race to a revocation", async () => {
      const { auth, authenticate, token, session } = await setup();
      auth.clock.advance({ seconds: SESSION.rotateAfterSeconds });
      // Between this request reading the session and rotating it, the user signs out everywhere.
      const sessions = auth.stores.sessions;
      const original = sessions.rotate.bind(sessions);
      jest.spyOn(sessions, "rotate").mockImplementationOnce(async (predecessor, successor) => {
        await sessions.revoke(session.id, auth.clock.now());
        return original(predecessor, successor);
      });
      expect((await authenticate(token)).ok).toBe(false);
    });
  });

  it("refuses the cookie of a deleted account", async () => {
    const { auth, authenticate, token, user } = await setup();
    // Only the user row goes, as if the session row were still cached somewhere.
    auth.db.tables.users.delete(user.id);
    expect((await authenticate(token)).ok).toBe(false);
  });
});
