import { createInMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";
import { aPasskeyUser } from "./support";

const codeOf = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? "OK" : result.error!.code);

describe("Passkey refusals", () => {
  it("refuses a re-authentication without user verification, logs why, and keeps the session as it was", async () => {
    const { auth, who, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    await addPasskey();
    const response = authenticator.authenticate(await authenticationOptions(), { userVerified: false });
    const result = await auth.useCases.reauthenticateWithPasskey.execute({ ...who, response });
    expect(result).toMatchObject({ ok: false, error: { code: "PASSKEY_REFUSED" } });
    const reason = !result.ok && "reason" in result.error ? result.error.reason : "";
    const [event] = await auth.stores.events.listForUser(who.userId, 1);
    expect(event).toMatchObject({ type: "sign-in.failed", detail: { method: "passkey", reason: `reauthentication:${reason}` } });
    expect((await auth.stores.sessions.findById(who.sessionId))?.revokedAt).toBeNull();
  });

  it("refuses a signature counter gone backwards (a cloned authenticator) and keeps the stored counter", async () => {
    const { auth, who, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    const passkey = await addPasskey();
    const first = authenticator.authenticate(await authenticationOptions(), { counter: 10 });
    expect(codeOf(await auth.useCases.reauthenticateWithPasskey.execute({ ...who, response: first }))).toBe("OK");
    const stored = await auth.stores.passkeys.findByCredentialId(passkey.credentialId);
    expect(stored?.counter).toBe(10);

    const backwards = authenticator.authenticate(await authenticationOptions(), { counter: 9 });
    const refused = await auth.useCases.signInWithPasskey.execute({ response: backwards, context: auth.context });
    expect(refused).toMatchObject({ ok: false, error: { code: "PASSKEY_REFUSED" } });
    expect((await auth.stores.passkeys.findByCredentialId(passkey.credentialId))?.counter).toBe(10);
  });

  it("takes one of two assertions bringing the same counter at once: the other is refused as a clone", async () => {
    const { auth, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    await addPasskey();
    const a = authenticator.authenticate(await authenticationOptions(), { counter: 5 });
    const b = authenticator.authenticate(await authenticationOptions(), { counter: 5 });
    const results = await Promise.all([a, b].map((response) => auth.useCases.signInWithPasskey.execute({ response, context: auth.context })));
    expect(results.map(codeOf).sort()).toEqual(["OK", "PASSKEY_REFUSED"]);
  });

  it("refuses a re-authentication on a session that is not the user's, before looking at the passkey", async () => {
    const { auth, who, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    await addPasskey();
    const response = authenticator.authenticate(await authenticationOptions());
    const result = await auth.useCases.reauthenticateWithPasskey.execute({ userId: who.userId, sessionId: "no-such-session", response });
    expect(codeOf(result)).toBe("UNAUTHENTICATED");
  });

  it("lets options be asked for without a client IP (a script): no per-IP limit applies", async () => {
    const auth = createInMemoryAuth({ settings: { rateLimits: { signInPerIp: { limit: 1, windowSeconds: 60 } } } });
    for (let i = 0; i < 3; i++) expect((await auth.useCases.startPasskeyAuthentication.execute()).ok).toBe(true);
    await auth.useCases.startPasskeyAuthentication.execute({ context: auth.context });
    expect(codeOf(await auth.useCases.startPasskeyAuthentication.execute({ context: auth.context }))).toBe("RATE_LIMITED");
  });
});
