import { createInMemoryAuth, TEST_CONTEXT } from "../../../src/infrastructure/testing/in-memory-auth";
import { codeFor, passwordStep, secondStep, withTotp } from "./support";

describe("The second factor and fresh authentication", () => {
  it("records how the session was opened: password and TOTP, or password and a recovery code", async () => {
    const { auth, secret, recoveryCodes } = await withTotp();
    const withCode = await secondStep(auth, await passwordStep(auth), { code: await codeFor(auth, secret) });
    expect(withCode.ok && withCode.value.session.authMethods).toEqual(["password", "totp"]);
    const withRecovery = await secondStep(auth, await passwordStep(auth), { recoveryCode: recoveryCodes[0]! });
    expect(withRecovery.ok && withRecovery.value.session.authMethods).toEqual(["password", "recovery-code"]);
  });

  it("needs a fresh session to set up, turn off, or renew recovery codes", async () => {
    const { auth, ann, secret } = await withTotp();
    auth.clock.advance({ seconds: auth.settings.freshAuthMaxAgeSeconds + 1 });
    const setUp = await auth.useCases.setUpTotp.execute({ userId: ann.user.id, sessionId: ann.session.id });
    const disable = await auth.useCases.disableTotp.execute({ userId: ann.user.id, sessionId: ann.session.id, code: await codeFor(auth, secret) });
    const renew = await auth.useCases.regenerateRecoveryCodes.execute({ userId: ann.user.id, sessionId: ann.session.id });
    for (const result of [setUp, disable, renew]) expect(!result.ok && result.error.code).toBe("REAUTHENTICATION_REQUIRED");
    expect((await auth.useCases.getMfaStatus.execute({ userId: ann.user.id })).totp).toBe("on");
    expect(auth.outbox.lastTo("ann@example.com")?.template).toBe("mfa-enabled");

    const fresh = createInMemoryAuth();
    const bob = await fresh.registerUser();
    fresh.clock.advance({ seconds: fresh.settings.freshAuthMaxAgeSeconds + 1 });
    const stale = await fresh.useCases.setUpTotp.execute({ userId: bob.user.id, sessionId: bob.session.id });
    expect(!stale.ok && stale.error.code).toBe("REAUTHENTICATION_REQUIRED");
  });

  it("asks a re-authentication for the code too when a factor is on, takes it once, and records both methods", async () => {
    const { auth, ann, secret, recoveryCodes } = await withTotp();
    const reauthenticate = (extra: { code?: string; recoveryCode?: string }, sessionId = ann.session.id) =>
      auth.useCases.reauthenticate.execute({ userId: ann.user.id, sessionId, password: ann.password, context: TEST_CONTEXT, ...extra });

    const passwordOnly = await reauthenticate({});
    expect(!passwordOnly.ok && passwordOnly.error.code).toBe("MFA_CODE_REQUIRED");
    const wrong = await reauthenticate({ code: "000000" });
    expect(!wrong.ok && wrong.error.code).toBe("INVALID_MFA_CODE");

    const code = await codeFor(auth, secret);
    const stepped = await reauthenticate({ code });
    if (!stepped.ok) throw new Error(stepped.error.code);
    expect(stepped.value.session.id).not.toBe(ann.session.id);
    expect(stepped.value.session.authMethods).toEqual(["password", "totp"]);

    const replay = await reauthenticate({ code }, stepped.value.session.id);
    expect(!replay.ok && replay.error.code).toBe("INVALID_MFA_CODE");
    const recovered = await reauthenticate({ recoveryCode: recoveryCodes[2]! }, stepped.value.session.id);
    expect(recovered.ok && recovered.value.session.authMethods).toEqual(["password", "recovery-code"]);
  });

  it("leaves re-authentication with the password alone when no factor is on", async () => {
    const auth = createInMemoryAuth();
    const bob = await auth.registerUser();
    const stepped = await auth.useCases.reauthenticate.execute({ userId: bob.user.id, sessionId: bob.session.id, password: bob.password, context: TEST_CONTEXT });
    expect(stepped.ok && stepped.value.session.authMethods).toEqual(["password"]);
  });

  it("deletes an account with a second factor on only from a fresh session: the password alone would skip the factor", async () => {
    const { auth, ann } = await withTotp();
    auth.clock.advance({ seconds: auth.settings.freshAuthMaxAgeSeconds + 1 });
    const stale = await auth.useCases.deleteAccount.execute({ userId: ann.user.id, sessionId: ann.session.id, password: ann.password, context: TEST_CONTEXT });
    expect(!stale.ok && stale.error.code).toBe("REAUTHENTICATION_REQUIRED");
    const noSession = await auth.useCases.deleteAccount.execute({ userId: ann.user.id, password: ann.password, context: TEST_CONTEXT });
    expect(!noSession.ok && noSession.error.code).toBe("REAUTHENTICATION_REQUIRED");
    expect(await auth.stores.users.findById(ann.user.id)).not.toBeNull();

    const plain = createInMemoryAuth();
    const bob = await plain.registerUser();
    plain.clock.advance({ seconds: plain.settings.freshAuthMaxAgeSeconds + 1 });
    // Without a factor the password in the request is the fresh authentication.
    expect((await plain.useCases.deleteAccount.execute({ userId: bob.user.id, password: bob.password, context: TEST_CONTEXT })).ok).toBe(true);
  });
});
