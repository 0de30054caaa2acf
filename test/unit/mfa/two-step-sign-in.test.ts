import { TEST_CONTEXT } from "../../../src/infrastructure/testing/in-memory-auth";
import { codeFor, passwordStep, secondStep, withTotp } from "./support";

describe("Signing in with a second factor", () => {
  it("opens no session at the password step: 202-style MFA_REQUIRED with the methods and a short-lived challenge", async () => {
    const { auth, ann } = await withTotp();
    const before = auth.db.tables.sessions.size;
    const result = await auth.useCases.signIn.execute({ email: "ann@example.com", password: ann.password, context: TEST_CONTEXT });

    expect(result.ok).toBe(false);
    if (result.ok || result.error.code !== "MFA_REQUIRED") throw new Error("expected MFA_REQUIRED");
    expect(result.error.methods).toEqual(["totp", "recovery-code"]);
    expect(result.error.expiresAt.getTime() - auth.clock.now().getTime()).toBe(300_000);
    expect(auth.db.tables.sessions.size).toBe(before);
    // Only the challenge's hash is stored.
    expect(JSON.stringify([...auth.db.tables.tokens.values()])).not.toContain(result.error.challenge);
  });

  it("opens a new session with a valid code, records how, and ends a session cookie presented with it", async () => {
    const { auth, ann, secret } = await withTotp();
    const result = await secondStep(auth, await passwordStep(auth), { code: await codeFor(auth, secret) }, ann.token);
    if (!result.ok) throw new Error(result.error.code);

    expect(result.value.user.id).toBe(ann.user.id);
    expect(result.value.session.id).not.toBe(ann.session.id);
    const authenticated = await auth.useCases.authenticateSession.execute({ token: result.value.token });
    expect(authenticated.ok && authenticated.value.session.id).toBe(result.value.session.id);
    expect((await auth.useCases.authenticateSession.execute({ token: ann.token })).ok).toBe(false);
    const [event] = await auth.stores.events.listForUser(ann.user.id, 1);
    expect(event).toMatchObject({ type: "sign-in.succeeded", detail: { method: "totp" } });
  });

  it("accepts the code of the step before and after (clock drift), and nothing further away", async () => {
    const { auth, secret } = await withTotp();
    // Clear of the enrolment step, so the step before is still unspent.
    auth.clock.advance({ seconds: 60 });
    for (const steps of [-2, 2, 3]) {
      const refused = await secondStep(auth, await passwordStep(auth), { code: await codeFor(auth, secret, steps) });
      expect(!refused.ok && refused.error.code).toBe("INVALID_MFA_CODE");
    }
    expect((await secondStep(auth, await passwordStep(auth), { code: await codeFor(auth, secret, -1) })).ok).toBe(true);
    expect((await secondStep(auth, await passwordStep(auth), { code: await codeFor(auth, secret, 1) })).ok).toBe(true);
  });

  it("accepts a code once: a replay in the same step, in the next step, or an older step after a newer one is refused", async () => {
    const { auth, secret } = await withTotp();
    const code = await codeFor(auth, secret);
    expect((await secondStep(auth, await passwordStep(auth), { code })).ok).toBe(true);

    const sameStep = await secondStep(auth, await passwordStep(auth), { code });
    expect(!sameStep.ok && sameStep.error.code).toBe("INVALID_MFA_CODE");
    auth.clock.advance({ seconds: 30 });
    const nextStep = await secondStep(auth, await passwordStep(auth), { code });
    expect(!nextStep.ok && nextStep.error.code).toBe("INVALID_MFA_CODE");
    // The current step's code still works: replay refusal is about steps, not about the account.
    expect((await secondStep(auth, await passwordStep(auth), { code: await codeFor(auth, secret) })).ok).toBe(true);
  });

  it("lets exactly one of two simultaneous second steps with the same code through", async () => {
    const { auth, secret } = await withTotp();
    const code = await codeFor(auth, secret);
    const [a, b] = [await passwordStep(auth), await passwordStep(auth)];
    const results = await Promise.all([secondStep(auth, a, { code }), secondStep(auth, b, { code })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(["INVALID_MFA_CODE"]);
  });

  it("takes each recovery code once, in any case and with or without dashes, and never again", async () => {
    const { auth, ann, recoveryCodes } = await withTotp();
    const typed = recoveryCodes[0]!.replace(/-/g, " ").toUpperCase();
    const first = await secondStep(auth, await passwordStep(auth), { recoveryCode: typed });
    expect(first.ok).toBe(true);
    const again = await secondStep(auth, await passwordStep(auth), { recoveryCode: recoveryCodes[0]! });
    expect(!again.ok && again.error.code).toBe("INVALID_MFA_CODE");
    expect((await auth.useCases.getMfaStatus.execute({ userId: ann.user.id })).recoveryCodesLeft).toBe(9);
    const [event] = await auth.stores.events.listForUser(ann.user.id, 1);
    expect(event).toMatchObject({ type: "sign-in.mfa-failed" });
  });

  it("lets one of two simultaneous uses of a recovery code through", async () => {
    const { auth, recoveryCodes } = await withTotp();
    const [a, b] = [await passwordStep(auth), await passwordStep(auth)];
    const results = await Promise.all([secondStep(auth, a, { recoveryCode: recoveryCodes[1]! }), secondStep(auth, b, { recoveryCode: recoveryCodes[1]! })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("keeps the challenge through a wrong code, but it opens one session only", async () => {
    const { auth, secret } = await withTotp();
    const challenge = await passwordStep(auth);
    expect((await secondStep(auth, challenge, { code: "000000" })).ok).toBe(false);
    expect((await secondStep(auth, challenge, { code: await codeFor(auth, secret) })).ok).toBe(true);
    auth.clock.advance({ seconds: 30 });
    const reused = await secondStep(auth, challenge, { code: await codeFor(auth, secret) });
    expect(!reused.ok && reused.error.code).toBe("MFA_CHALLENGE_INVALID");
  });

  it("refuses a challenge that expired, a missing or made-up one, and one whose account changed address", async () => {
    const { auth, ann, secret } = await withTotp();
    const challenge = await passwordStep(auth);
    auth.clock.advance({ seconds: 301 });
    const expired = await secondStep(auth, challenge, { code: await codeFor(auth, secret) });
    expect(!expired.ok && expired.error.code).toBe("MFA_CHALLENGE_INVALID");
    for (const bad of [null, "", "made-up-challenge", "x".repeat(300)]) {
      const refused = await secondStep(auth, bad, { code: await codeFor(auth, secret) });
      expect(!refused.ok && refused.error.code).toBe("MFA_CHALLENGE_INVALID");
    }
    const fresh = await passwordStep(auth);
    const user = (await auth.stores.users.findById(ann.user.id))!;
    auth.db.tables.users.set(user.id, { ...user.toSnapshot(), email: "someone-else@example.com" });
    const moved = await secondStep(auth, fresh, { code: await codeFor(auth, secret) });
    expect(!moved.ok && moved.error.code).toBe("MFA_CHALLENGE_INVALID");
  });

  it("binds the challenge to its user: another account's code does not complete it", async () => {
    const { auth, secret } = await withTotp();
    const bob = await auth.registerUser({ email: "bob@example.com" });
    const setup = await auth.useCases.setUpTotp.execute({ userId: bob.user.id, sessionId: bob.session.id });
    if (!setup.ok) throw new Error("setup failed");
    expect((await auth.useCases.enableTotp.execute({ userId: bob.user.id, code: await codeFor(auth, setup.value.secret) })).ok).toBe(true);
    auth.clock.advance({ seconds: 30 });

    const bobsChallenge = await passwordStep(auth, "bob@example.com");
    const annsCode = await codeFor(auth, secret);
    const refused = await secondStep(auth, bobsChallenge, { code: annsCode });
    expect(!refused.ok && refused.error.code).toBe("INVALID_MFA_CODE");
    const opened = await secondStep(auth, bobsChallenge, { code: await codeFor(auth, setup.value.secret) });
    expect(opened.ok && opened.value.user.email).toBe("bob@example.com");
  });

  it("throttles wrong codes on their own counter: growing waits after five, a lock at twenty, right codes refused meanwhile", async () => {
    const { auth, secret } = await withTotp({
      rateLimits: { mfaFailuresPerUser: { freeFailures: 2, baseDelaySeconds: 2, maxDelaySeconds: 60, lockAfter: 5, windowSeconds: 3600 } },
    });
    const challenge = await passwordStep(auth);
    for (let i = 0; i < 3; i++) expect((await secondStep(auth, challenge, { code: "000000" })).ok).toBe(false);
    const waiting = await secondStep(auth, challenge, { code: await codeFor(auth, secret) });
    expect(!waiting.ok && waiting.error.code).toBe("RATE_LIMITED");
    auth.clock.advance({ seconds: 2 });
    expect((await secondStep(auth, challenge, { code: "000000" })).ok).toBe(false);
    auth.clock.advance({ seconds: 4 });
    expect((await secondStep(auth, challenge, { code: "000000" })).ok).toBe(false);
    auth.clock.advance({ seconds: 30 });
    const locked = await secondStep(auth, await passwordStep(auth), { code: await codeFor(auth, secret) });
    expect(!locked.ok && locked.error.code).toBe("ACCOUNT_LOCKED");
    // The password's own counter is untouched: the password step still answers.
    await passwordStep(auth);
  });

  it("resets the wait after a right code", async () => {
    const { auth, secret } = await withTotp({
      rateLimits: { mfaFailuresPerUser: { freeFailures: 2, baseDelaySeconds: 60, maxDelaySeconds: 60, lockAfter: 5, windowSeconds: 3600 } },
    });
    for (let i = 0; i < 2; i++) expect((await secondStep(auth, await passwordStep(auth), { code: "000000" })).ok).toBe(false);
    expect((await secondStep(auth, await passwordStep(auth), { code: await codeFor(auth, secret) })).ok).toBe(true);
    auth.clock.advance({ seconds: 30 });
    for (let i = 0; i < 2; i++) expect((await secondStep(auth, await passwordStep(auth), { code: "000000" })).ok).toBe(false);
    expect((await secondStep(auth, await passwordStep(auth), { code: await codeFor(auth, secret) })).ok).toBe(true);
  });

  it("keeps the factor on through a password reset: the new password still leads to the second step", async () => {
    const { auth, ann, secret } = await withTotp();
    await auth.useCases.requestPasswordReset.execute({ email: "ann@example.com", context: TEST_CONTEXT });
    const token = auth.outbox.lastTokenFor("ann@example.com", "password-reset")!;
    expect((await auth.useCases.resetPassword.execute({ token, password: "Brand-New-Secret-5" })).ok).toBe(true);

    expect((await auth.useCases.getMfaStatus.execute({ userId: ann.user.id })).totp).toBe("on");
    const challenge = await passwordStep(auth, "ann@example.com", "Brand-New-Secret-5");
    expect((await secondStep(auth, challenge, { code: await codeFor(auth, secret) })).ok).toBe(true);
  });

  it("ends the challenge when the factor is turned off meanwhile", async () => {
    const { auth, ann, secret } = await withTotp();
    const challenge = await passwordStep(auth);
    expect((await auth.useCases.disableTotp.execute({ userId: ann.user.id, sessionId: ann.session.id, code: await codeFor(auth, secret) })).ok).toBe(true);
    auth.clock.advance({ seconds: 30 });
    const refused = await secondStep(auth, challenge, { code: await codeFor(auth, secret) });
    expect(!refused.ok && refused.error.code).toBe("MFA_CHALLENGE_INVALID");
  });
});
