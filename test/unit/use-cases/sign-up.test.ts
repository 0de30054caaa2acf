import { createHash } from "node:crypto";
import { createInMemoryAuth, TEST_CONTEXT, TEST_PASSWORD } from "../../../src/infrastructure/testing/in-memory-auth";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

describe("SignUp", () => {
  it("creates an unverified account, signs it in and mails a verification link", async () => {
    const auth = createInMemoryAuth();
    const result = await auth.useCases.signUp.execute({ email: " Ann@Example.com ", password: TEST_PASSWORD, context: TEST_CONTEXT });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { user, session, token } = result.value;
    expect(user.email).toBe("ann@example.com");
    expect(user.emailVerified).toBe(false);
    expect(session.userId).toBe(user.id);
    expect(session.ip).toBe(TEST_CONTEXT.ip);
    expect(session.expiresAt).toEqual(new Date(auth.clock.now().getTime() + auth.settings.session.maxAgeSeconds * 1000));

    const signedIn = await auth.useCases.authenticateSession.execute({ token });
    expect(signedIn.ok && signedIn.value.user.id).toBe(user.id);

    const mail = auth.outbox.lastTo("ann@example.com", "verify-email");
    expect(mail?.params.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await auth.stores.events.listForUser(user.id, 10)).toEqual([expect.objectContaining({ type: "sign-up", ip: TEST_CONTEXT.ip })]);
  });

  it("stores only hashes: no password, no link token in plain text", async () => {
    const auth = createInMemoryAuth();
    const { user } = await auth.registerUser({ email: "ann@example.com", verified: false });
    const mailed = auth.outbox.lastTokenFor("ann@example.com", "verify-email")!;

    const stored = JSON.stringify([...auth.db.tables.users.values(), ...auth.db.tables.tokens.values()]);
    expect(stored).not.toContain(TEST_PASSWORD);
    expect(stored).not.toContain(mailed);
    const [token] = [...auth.db.tables.tokens.values()];
    expect(token).toMatchObject({ userId: user.id, purpose: "verify-email", email: "ann@example.com", tokenHash: sha256(mailed) });
  });

  it("refuses an address already registered in any spelling and leaves nothing behind", async () => {
    const auth = createInMemoryAuth();
    await auth.registerUser({ email: "ann@example.com" });
    const before = { mails: auth.outbox.messages.length, sessions: auth.db.tables.sessions.size, tokens: auth.db.tables.tokens.size };

    const result = await auth.useCases.signUp.execute({ email: "ANN@example.com", password: "Another-Secret-77", context: TEST_CONTEXT });

    expect(!result.ok && result.error.code).toBe("EMAIL_TAKEN");
    expect(auth.db.tables.users.size).toBe(1);
    expect({ mails: auth.outbox.messages.length, sessions: auth.db.tables.sessions.size, tokens: auth.db.tables.tokens.size }).toEqual(before);
  });

  it("refuses an all-Cyrillic look-alike of an existing address exactly as the address itself", async () => {
    const auth = createInMemoryAuth();
    await auth.registerUser({ email: "apple@example.com" });
    const before = { mails: auth.outbox.messages.length, sessions: auth.db.tables.sessions.size, tokens: auth.db.tables.tokens.size };
    const taken = await auth.useCases.signUp.execute({ email: "apple@example.com", password: "Another-Secret-77", context: TEST_CONTEXT });
    // "аррӏе": Cyrillic а, р, р, ӏ, е, no Latin letter among them, so not a mix of alphabets.
    const lookAlike = await auth.useCases.signUp.execute({ email: "\u0430\u0440\u0440\u04cf\u0435@example.com", password: "Another-Secret-77", context: TEST_CONTEXT });

    expect(lookAlike).toEqual(taken);
    expect(!lookAlike.ok && lookAlike.error.code).toBe("EMAIL_TAKEN");
    expect(auth.db.tables.users.size).toBe(1);
    expect({ mails: auth.outbox.messages.length, sessions: auth.db.tables.sessions.size, tokens: auth.db.tables.tokens.size }).toEqual(before);
    // The other way round too: the Latin address cannot join a Cyrillic account's look-alike.
    await auth.registerUser({ email: "\u0455\u0441\u043e\u0440\u0435@example.com" });
    const latin = await auth.useCases.signUp.execute({ email: "scope@example.com", password: "Another-Secret-77", context: TEST_CONTEXT });
    expect(!latin.ok && latin.error.code).toBe("EMAIL_TAKEN");
  });

  it("does not refuse distinct ASCII addresses that the full Unicode skeleton would confuse", async () => {
    const auth = createInMemoryAuth();
    await auth.registerUser({ email: "modern@example.com" });
    await auth.registerUser({ email: "john@example.com" });
    for (const email of ["modem@example.com", "j0hn@example.com"]) {
      const result = await auth.useCases.signUp.execute({ email, password: "Another-Secret-77", context: TEST_CONTEXT });
      expect(result.ok).toBe(true);
    }
    expect(auth.db.tables.users.size).toBe(4);
  });

  it.each([
    { label: "a malformed address", email: "not-an-email", password: TEST_PASSWORD, code: "INVALID_EMAIL", reason: undefined },
    { label: "a short password", email: "ann@example.com", password: "short", code: "WEAK_PASSWORD", reason: "TOO_SHORT" },
    { label: "a 129-character password", email: "ann@example.com", password: "x".repeat(129), code: "WEAK_PASSWORD", reason: "TOO_LONG" },
    { label: "a common password", email: "ann@example.com", password: "baseball", code: "WEAK_PASSWORD", reason: "COMMON" },
    { label: "a common password in other case", email: "ann@example.com", password: "Password1", code: "WEAK_PASSWORD", reason: "COMMON" },
    { label: "the own address as password", email: "ann@example.com", password: "ann@example.com", code: "WEAK_PASSWORD", reason: "CONTAINS_EMAIL" },
  ])("refuses $label with $code and stores nothing", async ({ email, password, code, reason }) => {
    const auth = createInMemoryAuth();
    const result = await auth.useCases.signUp.execute({ email, password, context: TEST_CONTEXT });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    if (reason) expect(result.error).toMatchObject({ reason });
    expect(auth.db.tables.users.size).toBe(0);
    expect(auth.outbox.messages).toHaveLength(0);
  });

  it("limits sign-ups per client IP, counting refused attempts too", async () => {
    const auth = createInMemoryAuth({ settings: { rateLimits: { signUpPerIp: { limit: 2, windowSeconds: 3600 } } } });
    await auth.registerUser({ email: "a@example.com" });
    await auth.useCases.signUp.execute({ email: "a@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT });

    const third = await auth.useCases.signUp.execute({ email: "c@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT });
    expect(third.ok).toBe(false);
    expect(!third.ok && third.error).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 3600 });

    const otherIp = await auth.useCases.signUp.execute({ email: "c@example.com", password: TEST_PASSWORD, context: { ip: "198.51.100.9", userAgent: null } });
    expect(otherIp.ok).toBe(true);

    auth.clock.advance({ hours: 1 });
    const afterWindow = await auth.useCases.signUp.execute({ email: "d@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT });
    expect(afterWindow.ok).toBe(true);
  });

  it("counts sign-ups against the per-IP e-mail limit", async () => {
    const auth = createInMemoryAuth({ settings: { rateLimits: { emailPerIp: { limit: 1, windowSeconds: 600 } } } });
    expect((await auth.useCases.signUp.execute({ email: "a@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT })).ok).toBe(true);
    const second = await auth.useCases.signUp.execute({ email: "b@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT });
    expect(!second.ok && second.error.code).toBe("RATE_LIMITED");
    expect(auth.outbox.messages).toHaveLength(1);
  });

  it("applies no limit when limits are switched off or no client IP is known", async () => {
    const off = createInMemoryAuth({ settings: { rateLimits: { enabled: false, signUpPerIp: { limit: 1, windowSeconds: 60 } } } });
    const noIp = createInMemoryAuth({ settings: { rateLimits: { signUpPerIp: { limit: 1, windowSeconds: 60 } } } });
    for (const email of ["a@example.com", "b@example.com", "c@example.com"]) {
      expect((await off.useCases.signUp.execute({ email, password: TEST_PASSWORD, context: TEST_CONTEXT })).ok).toBe(true);
      expect((await noIp.useCases.signUp.execute({ email, password: TEST_PASSWORD, context: { ip: null, userAgent: null } })).ok).toBe(true);
    }
  });

  it("ends the session the client was holding instead of keeping two", async () => {
    const auth = createInMemoryAuth();
    const first = await auth.registerUser({ email: "first@example.com" });

    const result = await auth.useCases.signUp.execute({
      email: "second@example.com",
      password: TEST_PASSWORD,
      context: TEST_CONTEXT,
      currentToken: first.token,
    });

    expect(result.ok).toBe(true);
    expect((await auth.useCases.authenticateSession.execute({ token: first.token })).ok).toBe(false);
  });

  it("ignores a presented cookie that is not a valid one", async () => {
    const auth = createInMemoryAuth();
    const result = await auth.useCases.signUp.execute({ email: "a@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT, currentToken: "forged" });
    expect(result.ok).toBe(true);
  });
});
