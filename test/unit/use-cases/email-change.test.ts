import { createInMemoryAuth, TEST_CONTEXT } from "../../../src/infrastructure/testing/in-memory-auth";

async function setUp(address = "ann@example.com") {
  const auth = createInMemoryAuth();
  const ann = await auth.registerUser({ email: address });
  const request = (newEmail: string, sessionId = ann.session.id) =>
    auth.useCases.requestEmailChange.execute({ userId: ann.user.id, sessionId, newEmail, context: TEST_CONTEXT });
  const linkFor = (address: string) => auth.outbox.lastTokenFor(address, "confirm-email-change");
  const confirm = (token: string) => auth.useCases.confirmEmailChange.execute({ token, context: TEST_CONTEXT });
  const emailOf = async () => (await auth.stores.users.findById(ann.user.id))!.email;
  return { auth, ann, request, linkFor, confirm, emailOf };
}

const codeOf = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? "OK" : result.error!.code);

describe("RequestEmailChange and ConfirmEmailChange", () => {
  it("mails a single-use link to the new address and a notice to the old one; the address moves, verified, only on confirmation", async () => {
    const { auth, ann, request, linkFor, confirm, emailOf } = await setUp();
    expect(codeOf(await request("  Ann.New@Example.com "))).toBe("OK");
    const token = linkFor("ann.new@example.com")!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.outbox.lastTo("ann@example.com", "email-change-requested")?.params).toEqual({ newEmail: "ann.new@example.com" });
    expect(await emailOf()).toBe("ann@example.com");
    expect(JSON.stringify([...auth.db.tables.tokens.values()])).not.toContain(token);

    auth.clock.advance({ seconds: 30 });
    const confirmed = await confirm(token);
    expect(confirmed.ok && confirmed.value.user).toMatchObject({ email: "ann.new@example.com", emailVerified: true });
    expect(await emailOf()).toBe("ann.new@example.com");
    expect(codeOf(await confirm(token))).toBe("INVALID_TOKEN");

    const oldSignIn = await auth.useCases.signIn.execute({ email: "ann@example.com", password: ann.password, context: TEST_CONTEXT });
    expect(codeOf(oldSignIn)).toBe("INVALID_CREDENTIALS");
    const newSignIn = await auth.useCases.signIn.execute({ email: "ann.new@example.com", password: ann.password, context: TEST_CONTEXT });
    expect(codeOf(newSignIn)).toBe("OK");
    expect((await auth.stores.events.listForUser(ann.user.id, 10)).map((e) => e.type)).toEqual(
      expect.arrayContaining(["email.change-requested", "email.changed"]),
    );
  });

  it("needs a fresh session: a stale one is refused and nothing is mailed", async () => {
    const { auth, ann, request } = await setUp();
    auth.clock.advance({ seconds: auth.settings.freshAuthMaxAgeSeconds });
    const before = auth.outbox.messages.length;
    expect(codeOf(await request("ann.new@example.com"))).toBe("REAUTHENTICATION_REQUIRED");
    expect(auth.outbox.messages.length).toBe(before);
    const stepped = await auth.useCases.reauthenticate.execute({ userId: ann.user.id, sessionId: ann.session.id, password: ann.password });
    expect(codeOf(await request("ann.new@example.com", stepped.ok ? stepped.value.session.id : ""))).toBe("OK");
  });

  it("refuses a malformed address, the current address, and one another account holds (as sign-up does)", async () => {
    const { auth, request } = await setUp();
    await auth.registerUser({ email: "bob@example.com" });
    expect(codeOf(await request("not an address"))).toBe("INVALID_EMAIL");
    expect(codeOf(await request("ANN@example.com"))).toBe("VALIDATION_FAILED");
    expect(codeOf(await request("bob@example.com"))).toBe("EMAIL_TAKEN");
    expect(auth.outbox.lastTo("bob@example.com", "confirm-email-change")).toBeUndefined();
  });

  it("refuses a whole-script look-alike of another account's address, on request and on confirmation", async () => {
    const { auth, request, linkFor, confirm, emailOf } = await setUp();
    await auth.registerUser({ email: "scope@example.com" });
    const cyrillicScope = "\u0455\u0441\u043e\u0440\u0435@example.com";
    expect(codeOf(await request(cyrillicScope))).toBe("EMAIL_TAKEN");
    expect(auth.outbox.lastTo(cyrillicScope, "confirm-email-change")).toBeUndefined();

    // A link asked for before the look-alike's account existed stops at the unique skeleton.
    const cyrillicApple = "\u0430\u0440\u0440\u04cf\u0435@example.com";
    expect(codeOf(await request(cyrillicApple))).toBe("OK");
    const token = linkFor(cyrillicApple)!;
    await auth.registerUser({ email: "apple@example.com" });
    expect(codeOf(await confirm(token))).toBe("EMAIL_TAKEN");
    expect(await emailOf()).toBe("ann@example.com");
  });

  it("lets an account move to a look-alike of its own address", async () => {
    const { request, linkFor, confirm, emailOf } = await setUp("ax@example.com");
    // Cyrillic "ах" (а, х) looks like Latin "ax": the same skeleton, but the account's own.
    const cyrillic = "\u0430\u0445@example.com";
    expect(codeOf(await request(cyrillic))).toBe("OK");
    expect(codeOf(await confirm(linkFor(cyrillic)!))).toBe("OK");
    expect(await emailOf()).toBe(cyrillic);
  });

  it("keeps only the newest link, voids links still out for the old address, and refuses an address taken meanwhile", async () => {
    const { auth, ann, request, linkFor, confirm, emailOf } = await setUp();
    await auth.useCases.requestPasswordReset.execute({ email: "ann@example.com", context: TEST_CONTEXT });
    const reset = auth.outbox.lastTokenFor("ann@example.com", "password-reset")!;
    await request("first@example.com");
    const first = linkFor("first@example.com")!;
    await request("second@example.com");
    const second = linkFor("second@example.com")!;
    expect(codeOf(await confirm(first))).toBe("INVALID_TOKEN");

    await auth.registerUser({ email: "second@example.com" });
    expect(codeOf(await confirm(second))).toBe("EMAIL_TAKEN");
    expect(await emailOf()).toBe("ann@example.com");

    await request("third@example.com");
    expect(codeOf(await confirm(linkFor("third@example.com")!))).toBe("OK");
    const resetAfter = await auth.useCases.resetPassword.execute({ token: reset, password: "Another-Good-Passphrase-4", context: TEST_CONTEXT });
    expect(codeOf(resetAfter)).toBe("INVALID_TOKEN");
  });

  it("lets exactly one of two concurrent confirmations of the same link win", async () => {
    const { request, linkFor, confirm } = await setUp();
    await request("ann.new@example.com");
    const token = linkFor("ann.new@example.com")!;
    const results = await Promise.all([confirm(token), confirm(token)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("expires with VERIFY_TOKEN_TTL", async () => {
    const { auth, request, linkFor, confirm } = await setUp();
    await request("ann.new@example.com");
    auth.clock.advance({ seconds: auth.settings.verifyTokenTtlSeconds });
    expect(codeOf(await confirm(linkFor("ann.new@example.com")!))).toBe("INVALID_TOKEN");
  });

  it("answers INVALID_TOKEN for an empty link, and for a link whose account was deleted since", async () => {
    const { auth, ann, request, linkFor, confirm } = await setUp();
    expect(codeOf(await confirm(""))).toBe("INVALID_TOKEN");
    expect(codeOf(await request("ann.new@example.com"))).toBe("OK");
    const token = linkFor("ann.new@example.com")!;
    expect((await auth.useCases.deleteAccount.execute({ userId: ann.user.id, password: ann.password })).ok).toBe(true);
    expect(codeOf(await confirm(token))).toBe("INVALID_TOKEN");
    expect(await auth.stores.users.findById(ann.user.id)).toBeNull();
  });

  it("refuses a change for an account that no longer exists, mailing nothing", async () => {
    const { auth, ann } = await setUp();
    const before = auth.outbox.messages.length;
    const result = await auth.useCases.requestEmailChange.execute({ userId: "no-such-user", sessionId: ann.session.id, newEmail: "x@example.com", context: TEST_CONTEXT });
    expect(codeOf(result)).toBe("UNAUTHENTICATED");
    expect(auth.outbox.messages.length).toBe(before);
  });
});
