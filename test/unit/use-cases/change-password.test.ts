import { createInMemoryAuth, TEST_CONTEXT, TEST_PASSWORD, type AuthSettingsOverrides } from "../../../src/infrastructure/testing/in-memory-auth";

const NEW_PASSWORD = "Brand-New-Secret-5";

async function setup(settings?: AuthSettingsOverrides) {
  const auth = createInMemoryAuth({ settings });
  const ann = await auth.registerUser({ email: "ann@example.com" });
  const change = (currentPassword: string, newPassword = NEW_PASSWORD, sessionId = ann.session.id) =>
    auth.useCases.changePassword.execute({ userId: ann.user.id, sessionId, currentPassword, newPassword, context: TEST_CONTEXT });
  const signIn = (password: string) => auth.useCases.signIn.execute({ email: "ann@example.com", password, context: TEST_CONTEXT });
  return { auth, ann, change, signIn };
}

describe("ChangePassword", () => {
  it("changes the password for a user who knows the current one", async () => {
    const { change, signIn } = await setup();
    expect((await change(TEST_PASSWORD)).ok).toBe(true);
    expect((await signIn(TEST_PASSWORD)).ok).toBe(false);
    expect((await signIn(NEW_PASSWORD)).ok).toBe(true);
  });

  it("moves this device to a new session id and ends every other session", async () => {
    const { auth, ann, change, signIn } = await setup();
    const elsewhere = await signIn(TEST_PASSWORD);

    const result = await change(TEST_PASSWORD);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.session.id).not.toBe(ann.session.id);
    const current = await auth.useCases.authenticateSession.execute({ token: result.value.token });
    expect(current.ok && current.value.session.id).toBe(result.value.session.id);
    expect((await auth.useCases.authenticateSession.execute({ token: ann.token })).ok).toBe(false);
    expect((await auth.useCases.authenticateSession.execute({ token: elsewhere.ok ? elsewhere.value.token : "" })).ok).toBe(false);
  });

  it("voids outstanding reset links and tells the owner by e-mail", async () => {
    const { auth, change } = await setup();
    await auth.useCases.requestPasswordReset.execute({ email: "ann@example.com", context: TEST_CONTEXT });
    const link = auth.outbox.lastTokenFor("ann@example.com", "password-reset")!;

    await change(TEST_PASSWORD);

    expect((await auth.useCases.resetPassword.execute({ token: link, password: "Attacker-Chosen-99" })).ok).toBe(false);
    expect(auth.outbox.lastTo("ann@example.com")).toEqual({ to: "ann@example.com", template: "password-changed", params: {} });
    expect(auth.stores.events.all().some((e) => e.type === "password.changed")).toBe(true);
  });

  it("requires the current password and changes nothing without it", async () => {
    const { auth, ann, change, signIn } = await setup();
    for (const wrong of ["Not-The-Password-1", "", "x".repeat(129)]) {
      const result = await change(wrong);
      expect(!result.ok && result.error.code).toBe("INVALID_CREDENTIALS");
    }
    expect((await auth.useCases.authenticateSession.execute({ token: ann.token })).ok).toBe(true);
    expect((await signIn(TEST_PASSWORD)).ok).toBe(true);
    expect(auth.outbox.messages.some((mail) => mail.template === "password-changed")).toBe(false);
  });

  it("counts wrong current passwords into the account's throttle", async () => {
    const { change } = await setup({ rateLimits: { signInFailuresPerAccount: { freeFailures: 1, baseDelaySeconds: 60 } } });
    await change("wrong-guess-1");
    await change("wrong-guess-2");
    const result = await change(TEST_PASSWORD);
    expect(!result.ok && result.error).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 60 });
  });

  it("applies the password policy to the new password", async () => {
    const { change } = await setup();
    const common = await change(TEST_PASSWORD, "football");
    expect(!common.ok && common.error).toMatchObject({ code: "WEAK_PASSWORD", reason: "COMMON" });
    const short = await change(TEST_PASSWORD, "short");
    expect(!short.ok && short.error).toMatchObject({ code: "WEAK_PASSWORD", reason: "TOO_SHORT" });
  });

  it("refuses a session that is not the user's live one", async () => {
    const { auth, change } = await setup();
    const bob = await auth.registerUser({ email: "bob@example.com" });
    expect(await change(TEST_PASSWORD, NEW_PASSWORD, bob.session.id)).toMatchObject({ ok: false, error: { code: "UNAUTHENTICATED" } });
    expect(await change(TEST_PASSWORD, NEW_PASSWORD, "unknown")).toMatchObject({ ok: false, error: { code: "UNAUTHENTICATED" } });
  });

  it("refuses an unknown user", async () => {
    const { auth } = await setup();
    const result = await auth.useCases.changePassword.execute({
      userId: "nobody",
      sessionId: "none",
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
      context: TEST_CONTEXT,
    });
    expect(!result.ok && result.error.code).toBe("UNAUTHENTICATED");
  });
});
