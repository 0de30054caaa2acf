import { createInMemoryAuth, TEST_CONTEXT, TEST_PASSWORD } from "../../../src/infrastructure/testing/in-memory-auth";

async function setup() {
  const auth = createInMemoryAuth();
  const ann = await auth.registerUser({ email: "ann@example.com" });
  const bob = await auth.registerUser({ email: "bob@example.com" });
  await auth.useCases.createApiKey.execute({ userId: ann.user.id, sessionId: ann.session.id, name: "deploy" });
  await auth.useCases.createApiKey.execute({ userId: bob.user.id, sessionId: bob.session.id, name: "deploy" });
  await auth.useCases.requestPasswordReset.execute({ email: "ann@example.com", context: TEST_CONTEXT });
  return { auth, ann, bob };
}

const rowsOf = (auth: ReturnType<typeof createInMemoryAuth>, userId: string) => ({
  users: [...auth.db.tables.users.values()].filter((row) => row.id === userId).length,
  sessions: [...auth.db.tables.sessions.values()].filter((row) => row.userId === userId).length,
  tokens: [...auth.db.tables.tokens.values()].filter((row) => row.userId === userId).length,
  apiKeys: [...auth.db.tables.apiKeys.values()].filter((row) => row.userId === userId).length,
  events: [...auth.db.tables.events.values()].filter((row) => row.event.userId === userId).length,
});

describe("DeleteAccount", () => {
  it("deletes the user and everything of theirs, and nobody else's", async () => {
    const { auth, ann, bob } = await setup();
    const bobBefore = rowsOf(auth, bob.user.id);

    const result = await auth.useCases.deleteAccount.execute({ userId: ann.user.id, password: TEST_PASSWORD, context: TEST_CONTEXT });

    expect(result.ok).toBe(true);
    expect(rowsOf(auth, ann.user.id)).toEqual({ users: 0, sessions: 0, tokens: 0, apiKeys: 0, events: 0 });
    expect(rowsOf(auth, bob.user.id)).toEqual(bobBefore);
    expect((await auth.useCases.authenticateSession.execute({ token: ann.token })).ok).toBe(false);
    expect((await auth.useCases.signIn.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT })).ok).toBe(false);
    // The address is free again.
    expect((await auth.useCases.signUp.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT })).ok).toBe(true);
  });

  it("leaves one anonymous trace for the operator", async () => {
    const { auth, ann } = await setup();
    await auth.useCases.deleteAccount.execute({ userId: ann.user.id, password: TEST_PASSWORD });
    const trace = auth.stores.events.all().filter((e) => e.type === "account.deleted");
    expect(trace).toEqual([expect.objectContaining({ userId: null, detail: { userId: ann.user.id } })]);
    expect(JSON.stringify(trace)).not.toContain("ann@example.com");
  });

  it("requires the password and deletes nothing without it", async () => {
    const { auth, ann } = await setup();
    const before = rowsOf(auth, ann.user.id);
    const result = await auth.useCases.deleteAccount.execute({ userId: ann.user.id, password: "Not-The-Password-1", context: TEST_CONTEXT });
    expect(!result.ok && result.error.code).toBe("INVALID_CREDENTIALS");
    expect(rowsOf(auth, ann.user.id)).toEqual({ ...before, events: before.events + 1 });
    expect((await auth.useCases.authenticateSession.execute({ token: ann.token })).ok).toBe(true);
  });

  it("refuses an unknown user", async () => {
    const { auth } = await setup();
    const result = await auth.useCases.deleteAccount.execute({ userId: "nobody", password: TEST_PASSWORD });
    expect(!result.ok && result.error.code).toBe("UNAUTHENTICATED");
  });
});
