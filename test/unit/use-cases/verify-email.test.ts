import { User } from "../../../src/domain/identity/user";
import { createInMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";

async function setup() {
  const auth = createInMemoryAuth();
  const signedUp = await auth.registerUser({ email: "ann@example.com", verified: false });
  const token = auth.outbox.lastTokenFor("ann@example.com", "verify-email")!;
  return { auth, ...signedUp, link: token };
}

describe("VerifyEmail", () => {
  it("marks the address verified with the mailed token", async () => {
    const { auth, link: token, user } = await setup();

    const result = await auth.useCases.verifyEmail.execute({ token });

    expect(result.ok && result.value.user.emailVerified).toBe(true);
    expect((await auth.stores.users.findById(user.id))?.emailVerifiedAt).toEqual(auth.clock.now());
    expect((await auth.stores.events.listForUser(user.id, 1))[0]?.type).toBe("email.verified");
  });

  it("works once: the same link again is an invalid token", async () => {
    const { auth, link: token } = await setup();
    await auth.useCases.verifyEmail.execute({ token });
    const again = await auth.useCases.verifyEmail.execute({ token });
    expect(!again.ok && again.error.code).toBe("INVALID_TOKEN");
  });

  it("lets exactly one of two simultaneous uses win", async () => {
    const { auth, link: token } = await setup();
    const results = await Promise.all([auth.useCases.verifyEmail.execute({ token }), auth.useCases.verifyEmail.execute({ token })]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect([...auth.db.tables.tokens.values()].filter((row) => row.consumedAt !== null)).toHaveLength(1);
  });

  it("refuses an expired link", async () => {
    const { auth, link: token, user } = await setup();
    auth.clock.advance({ seconds: auth.settings.verifyTokenTtlSeconds });
    const result = await auth.useCases.verifyEmail.execute({ token });
    expect(!result.ok && result.error.code).toBe("INVALID_TOKEN");
    expect((await auth.stores.users.findById(user.id))?.emailVerified).toBe(false);
  });

  it("refuses a link superseded by a newer one", async () => {
    const { auth, link: token, user } = await setup();
    await auth.useCases.resendVerification.execute({ userId: user.id, context: auth.context });
    const newer = auth.outbox.lastTokenFor("ann@example.com", "verify-email")!;
    expect(newer).not.toBe(token);

    expect((await auth.useCases.verifyEmail.execute({ token })).ok).toBe(false);
    expect((await auth.useCases.verifyEmail.execute({ token: newer })).ok).toBe(true);
  });

  it("refuses a password-reset token", async () => {
    const { auth } = await setup();
    await auth.useCases.requestPasswordReset.execute({ email: "ann@example.com", context: auth.context });
    const reset = auth.outbox.lastTokenFor("ann@example.com", "password-reset")!;
    expect((await auth.useCases.verifyEmail.execute({ token: reset })).ok).toBe(false);
  });

  it("refuses a link sent to an address the account no longer has", async () => {
    const { auth, link: token, user } = await setup();
    await auth.stores.users.save(User.restore({ ...user.toSnapshot(), email: "ann.new@example.com" }));
    const result = await auth.useCases.verifyEmail.execute({ token });
    expect(!result.ok && result.error.code).toBe("INVALID_TOKEN");
    expect((await auth.stores.users.findById(user.id))?.emailVerified).toBe(false);
  });

  it.each([["an empty token", ""], ["an unknown token", "x".repeat(43)], ["a non-string", 42]])("refuses %s", async (_label, token) => {
    const { auth } = await setup();
    const result = await auth.useCases.verifyEmail.execute({ token: token as string });
    expect(!result.ok && result.error.code).toBe("INVALID_TOKEN");
  });

  it("refuses the link of a deleted account", async () => {
    const { auth, link: token, user } = await setup();
    // The user row alone disappears, as if the token outlived it.
    auth.db.tables.users.delete(user.id);
    expect((await auth.useCases.verifyEmail.execute({ token })).ok).toBe(false);
  });
});
