import { VerificationToken } from "../../../src/domain/identity/verification-token";
import { createInMemoryAuth, TEST_CONTEXT, TEST_PASSWORD } from "../../../src/infrastructure/testing/in-memory-auth";

const NEW_PASSWORD = "Brand-New-Secret-5";

async function setup() {
  const auth = createInMemoryAuth();
  const signedUp = await auth.registerUser({ email: "ann@example.com" });
  await auth.useCases.requestPasswordReset.execute({ email: "ann@example.com", context: auth.context });
  const token = auth.outbox.lastTokenFor("ann@example.com", "password-reset")!;
  const reset = (password = NEW_PASSWORD, presented = token) => auth.useCases.resetPassword.execute({ token: presented, password, context: auth.context });
  const signIn = (password: string) => auth.useCases.signIn.execute({ email: "ann@example.com", password, context: TEST_CONTEXT });
  return { auth, reset, signIn, ...signedUp, link: token };
}

describe("ResetPassword", () => {
  it("sets the new password: the old one stops working, the new one works", async () => {
    const { reset, signIn, user } = await setup();
    const result = await reset();
    expect(result.ok && result.value.user.id).toBe(user.id);
    expect((await signIn(TEST_PASSWORD)).ok).toBe(false);
    expect((await signIn(NEW_PASSWORD)).ok).toBe(true);
  });

  it("ends every session of the user", async () => {
    const { auth, reset, signIn, ...ann } = await setup();
    const other = await signIn(TEST_PASSWORD);
    await reset();
    expect((await auth.useCases.authenticateSession.execute({ token: ann.token })).ok).toBe(false);
    expect((await auth.useCases.authenticateSession.execute({ token: other.ok ? other.value.token : "" })).ok).toBe(false);
    expect(await auth.stores.sessions.listUnrevokedForUser(ann.user.id, auth.clock.now())).toHaveLength(0);
  });

  it("tells the owner by e-mail, without any token in it", async () => {
    const { auth, reset, user } = await setup();
    await reset();
    expect(auth.outbox.lastTo("ann@example.com", "password-changed")).toEqual({ to: "ann@example.com", template: "password-changed", params: {} });
    expect((await auth.stores.events.listForUser(user.id, 1))[0]).toMatchObject({ type: "password.reset", detail: { sessionsRevoked: "1" } });
  });

  it("works once", async () => {
    const { reset } = await setup();
    await reset();
    const again = await reset("Another-New-Secret-6");
    expect(!again.ok && again.error.code).toBe("INVALID_TOKEN");
  });

  it("lets exactly one of two simultaneous uses win", async () => {
    const { reset } = await setup();
    const results = await Promise.all([reset("First-New-Secret-1"), reset("Second-New-Secret-2")]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });

  it("voids the other outstanding reset links", async () => {
    const { auth, link } = await setup();
    // A link of the same purpose issued after the first one, as by a parallel request, dies with the reset.
    const [first] = [...auth.db.tables.tokens.values()].filter((row) => row.purpose === "reset-password");
    const parallel = VerificationToken.create({ ...first!, id: "parallel", tokenHash: auth.randomTokens.hash("parallel-secret"), ttlSeconds: 600 }, auth.clock.now());
    await auth.stores.tokens.insert(parallel);

    expect((await auth.useCases.resetPassword.execute({ token: link, password: NEW_PASSWORD })).ok).toBe(true);

    expect((await auth.useCases.resetPassword.execute({ token: "parallel-secret", password: "Another-New-Secret-6" })).ok).toBe(false);
    expect((await auth.stores.tokens.findByHash(auth.randomTokens.hash("parallel-secret")))?.invalidatedAt).toEqual(auth.clock.now());
  });

  it("keeps the link usable when the new password is refused", async () => {
    const { reset } = await setup();
    const weak = await reset("baseball");
    expect(!weak.ok && weak.error).toMatchObject({ code: "WEAK_PASSWORD", reason: "COMMON" });
    const own = await reset("ann@example.com");
    expect(!own.ok && own.error).toMatchObject({ code: "WEAK_PASSWORD", reason: "CONTAINS_EMAIL" });
    expect((await reset()).ok).toBe(true);
  });

  it("refuses an expired link", async () => {
    const { auth, reset } = await setup();
    auth.clock.advance({ seconds: auth.settings.resetTokenTtlSeconds });
    const result = await reset();
    expect(!result.ok && result.error.code).toBe("INVALID_TOKEN");
  });

  it("refuses a verification token", async () => {
    const { auth, reset } = await setup();
    await auth.useCases.signUp.execute({ email: "bob@example.com", password: TEST_PASSWORD, context: { ip: null, userAgent: null } });
    const verification = auth.outbox.lastTokenFor("bob@example.com", "verify-email")!;
    const result = await reset(NEW_PASSWORD, verification);
    expect(!result.ok && result.error.code).toBe("INVALID_TOKEN");
  });

  it.each([["an empty token", ""], ["an unknown token", "y".repeat(43)]])("refuses %s", async (_label, presented) => {
    const { reset } = await setup();
    const result = await reset(NEW_PASSWORD, presented);
    expect(!result.ok && result.error.code).toBe("INVALID_TOKEN");
  });

  it("refuses the link of a deleted account", async () => {
    const { auth, reset, user } = await setup();
    auth.db.tables.users.delete(user.id);
    expect((await reset()).ok).toBe(false);
  });

  it("clears the sign-in failure count", async () => {
    const auth = createInMemoryAuth({
      settings: { rateLimits: { signInFailuresPerAccount: { freeFailures: 0, baseDelaySeconds: 600 } } },
    });
    await auth.registerUser({ email: "ann@example.com" });
    await auth.useCases.signIn.execute({ email: "ann@example.com", password: "wrong-guess", context: TEST_CONTEXT });
    await auth.useCases.requestPasswordReset.execute({ email: "ann@example.com", context: TEST_CONTEXT });
    const token = auth.outbox.lastTokenFor("ann@example.com", "password-reset")!;
    await auth.useCases.resetPassword.execute({ token, password: NEW_PASSWORD });
    expect((await auth.useCases.signIn.execute({ email: "ann@example.com", password: NEW_PASSWORD, context: TEST_CONTEXT })).ok).toBe(true);
  });
});
