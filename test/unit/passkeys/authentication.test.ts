import { SoftwareAuthenticator } from "../../support/software-authenticator";
import { aPasskeyUser } from "./support";

describe("Signing in with a passkey", () => {
  it("opens a new session counting as both factors, records the method, and stores the counter", async () => {
    const { auth, pat, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    const passkey = await addPasskey();
    const options = (await authenticationOptions()) as unknown as Record<string, unknown>;
    expect(options).toMatchObject({ rpId: "localhost", userVerification: "required" });
    expect(options.allowCredentials ?? []).toEqual([]);

    auth.clock.advance(30);
    const result = await auth.useCases.signInWithPasskey.execute({ response: authenticator.authenticate(options as { challenge: string }), context: auth.context });
    if (!result.ok) throw new Error(result.error.code);
    expect(result.value.user.id).toBe(pat.user.id);
    expect(result.value.session.id).not.toBe(pat.session.id);
    expect(result.value.session.authMethods).toEqual(["passkey"]);
    expect((await auth.useCases.authenticateSession.execute({ token: result.value.token })).ok).toBe(true);
    const stored = await auth.stores.passkeys.findByCredentialId(passkey.credentialId);
    expect(stored?.counter).toBe(1);
    expect(stored?.lastUsedAt).toEqual(auth.clock.now());
    const [event] = await auth.stores.events.listForUser(pat.user.id, 1);
    expect(event).toMatchObject({ type: "sign-in.succeeded", detail: { method: "passkey" } });
  });

  it("ends the session the client already held", async () => {
    const { auth, pat, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    await addPasskey();
    const response = authenticator.authenticate(await authenticationOptions());
    const result = await auth.useCases.signInWithPasskey.execute({ response, context: auth.context, currentToken: pat.token });
    expect(result.ok).toBe(true);
    expect((await auth.useCases.authenticateSession.execute({ token: pat.token })).ok).toBe(false);
  });

  it("refuses a replayed assertion, a challenge from a registration, and an expired challenge", async () => {
    const { auth, addPasskey, authenticator, authenticationOptions, registrationOptions } = await aPasskeyUser();
    await addPasskey();
    const response = authenticator.authenticate(await authenticationOptions());
    expect((await auth.useCases.signInWithPasskey.execute({ response, context: auth.context })).ok).toBe(true);
    const replay = await auth.useCases.signInWithPasskey.execute({ response, context: auth.context });
    expect(!replay.ok && replay.error.code).toBe("PASSKEY_REFUSED");

    const crossCeremony = authenticator.authenticate(await registrationOptions());
    expect((await auth.useCases.signInWithPasskey.execute({ response: crossCeremony, context: auth.context })).ok).toBe(false);

    const options = await authenticationOptions();
    auth.clock.advance({ minutes: 5, seconds: 1 });
    const expired = await auth.useCases.signInWithPasskey.execute({ response: authenticator.authenticate(options), context: auth.context });
    expect(!expired.ok && expired.error.code).toBe("PASSKEY_REFUSED");
  });

  it("lets only one of two concurrent assertions on one challenge through", async () => {
    const { auth, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    await addPasskey();
    const options = await authenticationOptions();
    const responses = [authenticator.authenticate(options), authenticator.authenticate(options)];
    const results = await Promise.all(responses.map((response) => auth.useCases.signInWithPasskey.execute({ response, context: auth.context })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it.each([
    ["another origin", { origin: "http://localhost:4000" }],
    ["another RP ID", { rpId: "example.com" }],
    ["no user verification", { userVerified: false }],
    ["a registration type", { type: "webauthn.create" }],
  ])("refuses an assertion with %s", async (_what, tweaks) => {
    const { auth, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    await addPasskey();
    const response = authenticator.authenticate(await authenticationOptions(), tweaks);
    const result = await auth.useCases.signInWithPasskey.execute({ response, context: auth.context });
    expect(!result.ok && result.error.code).toBe("PASSKEY_REFUSED");
  });

  it("refuses a counter that does not move forward once it is non-zero, and accepts an authenticator that keeps none", async () => {
    const { auth, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    await addPasskey();
    const first = authenticator.authenticate(await authenticationOptions(), { counter: 5 });
    expect((await auth.useCases.signInWithPasskey.execute({ response: first, context: auth.context })).ok).toBe(true);
    for (const counter of [5, 3]) {
      const rolledBack = authenticator.authenticate(await authenticationOptions(), { counter });
      const result = await auth.useCases.signInWithPasskey.execute({ response: rolledBack, context: auth.context });
      expect(!result.ok && result.error.code).toBe("PASSKEY_REFUSED");
    }

    const other = await aPasskeyUser();
    await other.addPasskey();
    for (let i = 0; i < 2; i++) {
      const zero = other.authenticator.authenticate(await other.authenticationOptions(), { counter: 0 });
      expect((await other.auth.useCases.signInWithPasskey.execute({ response: zero, context: other.auth.context })).ok).toBe(true);
    }
  });

  it("refuses an unknown credential and a forged signature", async () => {
    const { auth, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    await addPasskey();
    const stranger = new SoftwareAuthenticator(auth.appUrl);
    stranger.register({ challenge: "x" });
    const unknown = await auth.useCases.signInWithPasskey.execute({ response: stranger.authenticate(await authenticationOptions()), context: auth.context });
    expect(!unknown.ok && unknown.error.code).toBe("PASSKEY_REFUSED");

    // The registered credential's id, signed with another key.
    const forged = { ...stranger.authenticate(await authenticationOptions()), id: authenticator.credentials[0]!.id.toString("base64url") };
    forged.rawId = forged.id;
    const result = await auth.useCases.signInWithPasskey.execute({ response: forged, context: auth.context });
    expect(!result.ok && result.error.code).toBe("PASSKEY_REFUSED");
  });

  it("no longer signs in with a removed passkey", async () => {
    const { auth, who, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    const passkey = await addPasskey();
    await auth.useCases.removePasskey.execute({ ...who, passkeyId: passkey.id });
    const result = await auth.useCases.signInWithPasskey.execute({ response: authenticator.authenticate(await authenticationOptions()), context: auth.context });
    expect(result.ok).toBe(false);
  });
});

describe("Stepping up with a passkey", () => {
  it("moves a stale session to a new, fresh id with authMethods passkey", async () => {
    const { auth, who, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    await addPasskey();
    auth.clock.advance({ seconds: auth.settings.freshAuthMaxAgeSeconds + 1 });
    expect((await auth.useCases.startPasskeyRegistration.execute(who)).ok).toBe(false);
    const response = authenticator.authenticate(await authenticationOptions());
    const result = await auth.useCases.reauthenticateWithPasskey.execute({ ...who, response });
    if (!result.ok) throw new Error(result.error.code);
    expect(result.value.session.id).not.toBe(who.sessionId);
    expect(result.value.session.authMethods).toEqual(["passkey"]);
    expect((await auth.useCases.startPasskeyRegistration.execute({ userId: who.userId, sessionId: result.value.session.id })).ok).toBe(true);
    expect((await auth.stores.sessions.findById(who.sessionId))?.revokedAt).not.toBeNull();
  });

  it("refuses another user's passkey", async () => {
    const { auth, addPasskey, authenticator, authenticationOptions } = await aPasskeyUser();
    await addPasskey();
    const sam = await auth.registerUser({ email: "sam@example.com" });
    const response = authenticator.authenticate(await authenticationOptions());
    const result = await auth.useCases.reauthenticateWithPasskey.execute({ userId: sam.user.id, sessionId: sam.session.id, response });
    expect(!result.ok && result.error.code).toBe("PASSKEY_REFUSED");
  });
});

describe("Passkey sign-in throttling", () => {
  it("limits options per client IP, and counts passkey sign-ins into the password sign-in's per-IP bucket", async () => {
    const { createInMemoryAuth } = await import("../../../src/infrastructure/testing/in-memory-auth");
    const auth = createInMemoryAuth({ settings: { rateLimits: { signInPerIp: { limit: 2, windowSeconds: 60 } } } });
    const context = { ip: "198.51.100.9", userAgent: "jest" };
    for (let i = 0; i < 2; i++) expect((await auth.useCases.startPasskeyAuthentication.execute({ context })).ok).toBe(true);
    const refused = await auth.useCases.startPasskeyAuthentication.execute({ context });
    expect(!refused.ok && refused.error.code).toBe("RATE_LIMITED");
    expect((await auth.useCases.startPasskeyAuthentication.execute({ context: { ...context, ip: "198.51.100.10" } })).ok).toBe(true);

    for (let i = 0; i < 2; i++) await auth.useCases.signInWithPasskey.execute({ response: {}, context });
    const throttled = await auth.useCases.signInWithPasskey.execute({ response: {}, context });
    expect(!throttled.ok && throttled.error.code).toBe("RATE_LIMITED");
  });
});
