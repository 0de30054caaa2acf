import { FastPasswordHasher } from "../../../src/infrastructure/crypto/fast-password-hasher";
import { createInMemoryAuth, TEST_CONTEXT, TEST_PASSWORD, type AuthSettingsOverrides } from "../../../src/infrastructure/testing/in-memory-auth";
import { User } from "../../../src/domain/identity/user";

function setup(settings?: AuthSettingsOverrides) {
  const auth = createInMemoryAuth({ settings });
  const signIn = (email: string, password: string, context = TEST_CONTEXT, currentToken?: string) =>
    auth.useCases.signIn.execute({ email, password, context, currentToken });
  return { auth, signIn };
}

const throttling = (failures: Partial<{ freeFailures: number; baseDelaySeconds: number; maxDelaySeconds: number; lockAfter: number }>) => ({
  rateLimits: { signInFailuresPerAccount: { freeFailures: 2, baseDelaySeconds: 2, maxDelaySeconds: 8, lockAfter: 50, windowSeconds: 3600, ...failures } },
});

describe("SignIn", () => {
  it("opens a new session for the right e-mail and password, in any spelling of the address", async () => {
    const { auth, signIn } = setup();
    const { user } = await auth.registerUser({ email: "ann@example.com" });

    const result = await signIn(" ANN@example.com", TEST_PASSWORD);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.user.id).toBe(user.id);
    expect(result.value.session.userId).toBe(user.id);
    const authenticated = await auth.useCases.authenticateSession.execute({ token: result.value.token });
    expect(authenticated.ok && authenticated.value.session.id).toBe(result.value.session.id);
    expect((await auth.stores.events.listForUser(user.id, 1))[0]?.type).toBe("sign-in.succeeded");
  });

  it("answers an unknown e-mail exactly like a wrong password, spending a dummy verify on it", async () => {
    const { auth, signIn } = setup();
    await auth.registerUser({ email: "ann@example.com" });

    const wrong = await signIn("ann@example.com", "Not-The-Password-1");
    expect(auth.hasher.dummyVerifications).toBe(0);
    const unknown = await signIn("nobody@example.com", "Not-The-Password-1");
    expect(auth.hasher.dummyVerifications).toBe(1);

    expect(wrong.ok || unknown.ok).toBe(false);
    if (wrong.ok || unknown.ok) return;
    expect(unknown.error).toEqual(wrong.error);
    expect(wrong.error.code).toBe("INVALID_CREDENTIALS");
    const reasons = auth.stores.events.all().filter((e) => e.type === "sign-in.failed").map((e) => e.detail.reason);
    expect(reasons).toEqual(["wrong-password", "unknown-email"]);
  });

  it("refuses an oversized password before any hashing and without counting a failure", async () => {
    const { auth, signIn } = setup(throttling({ freeFailures: 0 }));
    await auth.registerUser({ email: "ann@example.com" });
    const verify = jest.spyOn(auth.hasher, "verify");

    const result = await signIn("nobody@example.com", "x".repeat(129));

    expect(!result.ok && result.error).toMatchObject({ code: "VALIDATION_FAILED", fields: { password: expect.any(String) } });
    expect(verify).not.toHaveBeenCalled();
    expect(auth.hasher.dummyVerifications).toBe(0);
    expect((await signIn("ann@example.com", TEST_PASSWORD)).ok).toBe(true);
  });

  it("refuses a malformed e-mail as invalid input", async () => {
    const { signIn } = setup();
    const result = await signIn("not an email", TEST_PASSWORD);
    expect(!result.ok && result.error).toMatchObject({ code: "VALIDATION_FAILED", fields: { email: expect.any(String) } });
  });

  it("treats a missing password as a wrong one", async () => {
    const { auth, signIn } = setup();
    await auth.registerUser({ email: "ann@example.com" });
    const result = await signIn("ann@example.com", undefined as unknown as string);
    expect(!result.ok && result.error.code).toBe("INVALID_CREDENTIALS");
  });

  it("verifies the password after the same NFKC normalisation as when it was set", async () => {
    const { auth, signIn } = setup();
    await auth.registerUser({ email: "ann@example.com", password: "cafe\u0301-au-lait-42" });
    expect((await signIn("ann@example.com", "caf\u00e9-au-lait-42")).ok).toBe(true);
  });

  it("always creates a new session id and ends the one the client presented", async () => {
    const { auth, signIn } = setup();
    const { token: signUpToken, session: signUpSession } = await auth.registerUser({ email: "ann@example.com" });

    const result = await signIn("ann@example.com", TEST_PASSWORD, TEST_CONTEXT, signUpToken);

    expect(result.ok && result.value.session.id).not.toBe(signUpSession.id);
    expect((await auth.useCases.authenticateSession.execute({ token: signUpToken })).ok).toBe(false);
    expect((await auth.stores.sessions.findById(signUpSession.id))?.revokedAt).toEqual(auth.clock.now());
  });

  it("upgrades a hash made with older parameters at the next successful sign-in, without ending sessions", async () => {
    const { auth, signIn } = setup();
    const { user, token } = await auth.registerUser({ email: "ann@example.com" });
    const legacy = new FastPasswordHasher(1).hashRaw(TEST_PASSWORD);
    await auth.stores.users.save(User.restore({ ...user.toSnapshot(), passwordHash: legacy }));

    expect((await signIn("ann@example.com", TEST_PASSWORD)).ok).toBe(true);

    const stored = await auth.stores.users.findById(user.id);
    expect(stored?.passwordHash).not.toBe(legacy);
    expect(auth.hasher.needsRehash(stored!.passwordHash)).toBe(false);
    expect(stored?.passwordChangedAt).toEqual(user.passwordChangedAt);
    expect((await auth.useCases.authenticateSession.execute({ token })).ok).toBe(true);
    expect((await signIn("ann@example.com", TEST_PASSWORD)).ok).toBe(true);
  });

  it("leaves a current hash alone", async () => {
    const { auth, signIn } = setup();
    const { user } = await auth.registerUser({ email: "ann@example.com" });
    await signIn("ann@example.com", TEST_PASSWORD);
    expect((await auth.stores.users.findById(user.id))?.passwordHash).toBe(user.passwordHash);
  });

  describe("throttling per account", () => {
    it("lets the free failures through, then makes each attempt wait longer, right password included", async () => {
      const { auth, signIn } = setup(throttling({}));
      await auth.registerUser({ email: "ann@example.com" });

      for (let i = 0; i < 3; i++) expect(!(await signIn("ann@example.com", "wrong-guess-1")).ok).toBe(true);
      // Three failures, two free: the next attempt waits 2 s, even with the right password.
      const early = await signIn("ann@example.com", TEST_PASSWORD);
      expect(!early.ok && early.error).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 2 });

      auth.clock.advance({ seconds: 2 });
      expect(!(await signIn("ann@example.com", "wrong-guess-2")).ok).toBe(true);
      const doubled = await signIn("ann@example.com", TEST_PASSWORD);
      expect(!doubled.ok && doubled.error).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 4 });

      auth.clock.advance({ seconds: 4 });
      await signIn("ann@example.com", "wrong-guess-3");
      auth.clock.advance({ seconds: 8 });
      await signIn("ann@example.com", "wrong-guess-4");
      const capped = await signIn("ann@example.com", TEST_PASSWORD);
      expect(!capped.ok && capped.error).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 8 });

      auth.clock.advance({ seconds: 8 });
      expect((await signIn("ann@example.com", TEST_PASSWORD)).ok).toBe(true);
      expect(auth.stores.events.all().some((e) => e.type === "sign-in.throttled" && e.detail.reason === "RATE_LIMITED")).toBe(true);
    });

    it("does not count a throttled attempt as a failure", async () => {
      const { auth, signIn } = setup(throttling({}));
      await auth.registerUser({ email: "ann@example.com" });
      for (let i = 0; i < 3; i++) await signIn("ann@example.com", "wrong-guess");
      for (let i = 0; i < 5; i++) await signIn("ann@example.com", "wrong-guess");
      auth.clock.advance({ seconds: 2 });
      expect((await signIn("ann@example.com", TEST_PASSWORD)).ok).toBe(true);
    });

    it("clears the count on success", async () => {
      const { auth, signIn } = setup(throttling({}));
      await auth.registerUser({ email: "ann@example.com" });
      await signIn("ann@example.com", "wrong-guess");
      await signIn("ann@example.com", "wrong-guess");
      expect((await signIn("ann@example.com", TEST_PASSWORD)).ok).toBe(true);
      await signIn("ann@example.com", "wrong-guess");
      await signIn("ann@example.com", "wrong-guess");
      expect((await signIn("ann@example.com", TEST_PASSWORD)).ok).toBe(true);
    });

    it("throttles an unknown e-mail exactly like an existing one", async () => {
      const { signIn } = setup(throttling({}));
      for (let i = 0; i < 3; i++) await signIn("nobody@example.com", "wrong-guess");
      const result = await signIn("nobody@example.com", "wrong-guess");
      expect(!result.ok && result.error).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 2 });
    });

    it("forgets failures after the window", async () => {
      const { auth, signIn } = setup(throttling({}));
      await auth.registerUser({ email: "ann@example.com" });
      for (let i = 0; i < 3; i++) await signIn("ann@example.com", "wrong-guess");
      auth.clock.advance({ hours: 1 });
      await signIn("ann@example.com", "wrong-guess");
      await signIn("ann@example.com", "wrong-guess");
      expect((await signIn("ann@example.com", TEST_PASSWORD)).ok).toBe(true);
    });

    it("locks the account at the hard stop until a password reset", async () => {
      const { auth, signIn } = setup(throttling({ freeFailures: 10, lockAfter: 4 }));
      await auth.registerUser({ email: "ann@example.com" });
      for (let i = 0; i < 4; i++) expect((await signIn("ann@example.com", "wrong-guess")).ok).toBe(false);

      auth.clock.advance({ minutes: 30 });
      const locked = await signIn("ann@example.com", TEST_PASSWORD);
      expect(!locked.ok && locked.error).toMatchObject({ code: "ACCOUNT_LOCKED", retryAfterSeconds: 1800 });

      // The reset flow stays open to the owner, and opens the account again.
      expect((await auth.useCases.requestPasswordReset.execute({ email: "ann@example.com", context: TEST_CONTEXT })).ok).toBe(true);
      const token = auth.outbox.lastTokenFor("ann@example.com", "password-reset")!;
      expect((await auth.useCases.resetPassword.execute({ token, password: "Brand-New-Secret-5" })).ok).toBe(true);
      expect((await signIn("ann@example.com", "Brand-New-Secret-5")).ok).toBe(true);
    });
  });

  describe("throttling per client IP", () => {
    it("limits attempts from one IP, successes included, without affecting other IPs", async () => {
      const { auth, signIn } = setup({ rateLimits: { signInPerIp: { limit: 3, windowSeconds: 60 } } });
      await auth.registerUser({ email: "ann@example.com" });
      for (let i = 0; i < 3; i++) expect((await signIn("ann@example.com", TEST_PASSWORD)).ok).toBe(true);

      const blocked = await signIn("ann@example.com", TEST_PASSWORD);
      expect(!blocked.ok && blocked.error).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 60 });
      expect((await signIn("ann@example.com", TEST_PASSWORD, { ip: "198.51.100.2", userAgent: null })).ok).toBe(true);
      auth.clock.advance({ seconds: 60 });
      expect((await signIn("ann@example.com", TEST_PASSWORD)).ok).toBe(true);
    });
  });

  it("applies no throttling when rate limits are switched off", async () => {
    const { auth, signIn } = setup({
      rateLimits: {
        enabled: false,
        signInPerIp: { limit: 1, windowSeconds: 60 },
        signInFailuresPerAccount: { freeFailures: 0, baseDelaySeconds: 60, lockAfter: 2 },
      },
    });
    await auth.registerUser({ email: "ann@example.com" });
    for (let i = 0; i < 5; i++) await signIn("ann@example.com", "wrong-guess");
    expect((await signIn("ann@example.com", TEST_PASSWORD)).ok).toBe(true);
  });
});
