import { createInMemoryAuth, TEST_CONTEXT } from "../../../src/infrastructure/testing/in-memory-auth";
import { codeFor, withTotp } from "./support";

const codeOf = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? "OK" : result.error!.code);

/**
 * A code is checked outside the transaction and spent inside it: two requests bringing the same code at
 * the same moment both pass the check, and only the compare-and-set tells them apart. The loser is
 * refused as a replay, and what it would have done is not done.
 */
describe("A second-factor code brought twice at the same moment", () => {
  it("steps up one re-authentication only; the other is refused as a used code and opens no second session", async () => {
    const { auth, ann, secret } = await withTotp();
    const code = await codeFor(auth, secret);
    const reauthenticate = () =>
      auth.useCases.reauthenticate.execute({ userId: ann.user.id, sessionId: ann.session.id, password: ann.password, code, context: TEST_CONTEXT });

    const results = await Promise.all([reauthenticate(), reauthenticate()]);
    expect(results.map(codeOf).sort()).toEqual(["INVALID_MFA_CODE", "OK"]);
    const refused = results.find((r) => !r.ok)!;
    expect(refused).toMatchObject({ ok: false, error: { code: "INVALID_MFA_CODE", fields: { code: expect.any(String) } } });
    const sessions = await auth.stores.sessions.listUnrevokedForUser(ann.user.id, auth.clock.now());
    expect(sessions).toHaveLength(1);
  });

  it("answers a recovery code replayed at the same moment on the recovery-code field", async () => {
    const { auth, ann, recoveryCodes } = await withTotp();
    const reauthenticate = () =>
      auth.useCases.reauthenticate.execute({
        userId: ann.user.id,
        sessionId: ann.session.id,
        password: ann.password,
        recoveryCode: recoveryCodes[0]!,
        context: TEST_CONTEXT,
      });
    const results = await Promise.all([reauthenticate(), reauthenticate()]);
    expect(results.map(codeOf).sort()).toEqual(["INVALID_MFA_CODE", "OK"]);
    const refused = results.find((r) => !r.ok)!;
    expect(refused).toMatchObject({ ok: false, error: { code: "INVALID_MFA_CODE", fields: { recoveryCode: expect.any(String) } } });
  });

  it("turns two-step verification off once: the second request with the same code is refused", async () => {
    const { auth, ann, secret } = await withTotp();
    const code = await codeFor(auth, secret);
    const disable = () => auth.useCases.disableTotp.execute({ userId: ann.user.id, sessionId: ann.session.id, code, context: TEST_CONTEXT });
    const results = await Promise.all([disable(), disable()]);
    expect(results.map(codeOf).sort()).toEqual(["INVALID_MFA_CODE", "OK"]);
    expect(auth.outbox.messages.filter((m) => m.to === "ann@example.com" && m.template === "mfa-disabled")).toHaveLength(1);
  });

  it("turns it off with a recovery code once, refusing the replay on the recovery-code field", async () => {
    const { auth, ann, recoveryCodes } = await withTotp();
    const disable = () =>
      auth.useCases.disableTotp.execute({ userId: ann.user.id, sessionId: ann.session.id, recoveryCode: recoveryCodes[1]!, context: TEST_CONTEXT });
    const results = await Promise.all([disable(), disable()]);
    expect(results.map(codeOf).sort()).toEqual(["INVALID_MFA_CODE", "OK"]);
    const refused = results.find((r) => !r.ok)!;
    expect(refused).toMatchObject({ ok: false, error: { code: "INVALID_MFA_CODE", fields: { recoveryCode: expect.any(String) } } });
  });
});

describe("Re-authentication refusals", () => {
  it("records a wrong password as a failed sign-in and keeps the session as it was", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const result = await auth.useCases.reauthenticate.execute({ userId: ann.user.id, sessionId: ann.session.id, password: "not the password", context: TEST_CONTEXT });
    expect(codeOf(result)).toBe("INVALID_CREDENTIALS");
    const [event] = await auth.stores.events.listForUser(ann.user.id, 1);
    expect(event).toMatchObject({ type: "sign-in.failed", detail: { reason: "reauthentication" } });
    expect((await auth.useCases.authenticateSession.execute({ token: ann.token })).ok).toBe(true);
  });

  it("refuses another account's session, and a session already stepped up by a concurrent request", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const bob = await auth.registerUser({ email: "bob@example.com" });
    const foreign = await auth.useCases.reauthenticate.execute({ userId: ann.user.id, sessionId: bob.session.id, password: ann.password });
    expect(codeOf(foreign)).toBe("UNAUTHENTICATED");

    const stepUp = () => auth.useCases.reauthenticate.execute({ userId: ann.user.id, sessionId: ann.session.id, password: ann.password });
    const results = await Promise.all([stepUp(), stepUp()]);
    expect(results.map(codeOf).sort()).toEqual(["OK", "UNAUTHENTICATED"]);
  });

  it("refuses to turn two-step verification off for an account that no longer exists", async () => {
    const { auth, ann, secret } = await withTotp();
    const result = await auth.useCases.disableTotp.execute({ userId: "no-such-user", sessionId: ann.session.id, code: await codeFor(auth, secret) });
    expect(codeOf(result)).toBe("UNAUTHENTICATED");
    expect((await auth.useCases.getMfaStatus.execute({ userId: ann.user.id })).totp).toBe("on");
  });

  it("turns an authenticator on once when two tabs send the same enrolment code; then refuses to enable it again", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const setup = await auth.useCases.setUpTotp.execute({ userId: ann.user.id, sessionId: ann.session.id });
    if (!setup.ok) throw new Error(setup.error.code);
    const code = await codeFor(auth, setup.value.secret);
    const enable = () => auth.useCases.enableTotp.execute({ userId: ann.user.id, code, context: TEST_CONTEXT });
    const results = await Promise.all([enable(), enable()]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.map(codeOf)).toContain("OK");
    expect(auth.outbox.messages.filter((m) => m.to === "ann@example.com" && m.template === "mfa-enabled")).toHaveLength(1);

    auth.clock.advance({ seconds: 30 });
    expect(codeOf(await auth.useCases.enableTotp.execute({ userId: ann.user.id, code: await codeFor(auth, setup.value.secret) }))).toBe("MFA_ALREADY_ENABLED");
    expect(codeOf(await auth.useCases.enableTotp.execute({ userId: "no-such-user", code }))).toBe("UNAUTHENTICATED");
  });
});
