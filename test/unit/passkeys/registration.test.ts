import { SoftwareAuthenticator } from "../../support/software-authenticator";
import { aPasskeyUser } from "./support";

describe("Registering a passkey", () => {
  it("asks for user verification and a resident key where possible, scoped to APP_URL's host", async () => {
    const { registrationOptions } = await aPasskeyUser();
    const options = (await registrationOptions()) as unknown as Record<string, unknown>;
    expect(options.rp).toMatchObject({ id: "localhost" });
    expect(options.authenticatorSelection).toMatchObject({ userVerification: "required", residentKey: "preferred" });
    expect(options.challenge).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/));
  });

  it("stores a verified passkey with its name, mails a notice and logs passkey.added", async () => {
    const { auth, pat, addPasskey } = await aPasskeyUser();
    const passkey = await addPasskey("  Work laptop ");
    expect(passkey.name).toBe("Work laptop");
    expect(passkey.createdAt).toEqual(auth.clock.now());
    expect((await auth.useCases.listPasskeys.execute({ userId: pat.user.id })).map((p) => p.id)).toEqual([passkey.id]);
    expect(auth.outbox.messages.filter((m) => m.template === "passkey-added")).toEqual([
      { to: "pat@example.com", template: "passkey-added", params: { name: "Work laptop" } },
    ]);
    expect((await auth.stores.events.listForUser(pat.user.id, 10)).map((e) => e.type)).toContain("passkey.added");
  });

  it("lists the user's passkeys as excludeCredentials, so one authenticator is not registered twice", async () => {
    const { registrationOptions, addPasskey } = await aPasskeyUser();
    const first = await addPasskey();
    const options = await registrationOptions();
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([first.credentialId]);
  });

  it("refuses a challenge used twice, an expired one, and one issued to someone else", async () => {
    const { auth, authenticator, who, registrationOptions } = await aPasskeyUser();
    const options = await registrationOptions();
    const response = authenticator.register(options);
    expect((await auth.useCases.registerPasskey.execute({ ...who, response, name: "A" })).ok).toBe(true);
    const replay = await auth.useCases.registerPasskey.execute({ ...who, response: authenticator.register(options), name: "B" });
    expect(!replay.ok && replay.error.code).toBe("PASSKEY_REFUSED");

    const late = await registrationOptions();
    auth.clock.advance({ minutes: 5, seconds: 1 });
    const expired = await auth.useCases.registerPasskey.execute({ ...who, response: authenticator.register(late), name: "C" });
    expect(!expired.ok && expired.error.code).toBe("PASSKEY_REFUSED");

    const sam = await auth.registerUser({ email: "sam@example.com" });
    const samsOptions = await registrationOptions({ userId: sam.user.id, sessionId: sam.session.id });
    auth.clock.advance(1);
    const stolen = await auth.useCases.registerPasskey.execute({ ...who, response: authenticator.register(samsOptions), name: "D" });
    expect(!stolen.ok && stolen.error.code).toBe("PASSKEY_REFUSED");
  });

  it("consumes a challenge once even when two registrations race for it", async () => {
    const { auth, authenticator, who, registrationOptions } = await aPasskeyUser();
    const options = await registrationOptions();
    const results = await Promise.all(
      [0, 1, 2].map((i) => auth.useCases.registerPasskey.execute({ ...who, response: authenticator.register(options), name: `K${i}` })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it.each([
    ["another origin", { origin: "https://evil.example" }],
    ["another RP ID", { rpId: "evil.example" }],
    ["no user verification", { userVerified: false }],
    ["an assertion type", { type: "webauthn.get" }],
  ])("refuses a response from %s", async (_what, tweaks) => {
    const { auth, authenticator, who, registrationOptions } = await aPasskeyUser();
    const response = authenticator.register(await registrationOptions(), tweaks);
    const result = await auth.useCases.registerPasskey.execute({ ...who, response, name: "Laptop" });
    expect(!result.ok && result.error.code).toBe("PASSKEY_REFUSED");
    expect(await auth.useCases.listPasskeys.execute({ userId: who.userId })).toEqual([]);
  });

  it("refuses a malformed response and an empty or overlong name", async () => {
    const { auth, authenticator, who, registrationOptions } = await aPasskeyUser();
    for (const response of [null, "x", { id: 1 }, { id: "a", rawId: "a", type: "public-key", response: {} }]) {
      const result = await auth.useCases.registerPasskey.execute({ ...who, response, name: "Laptop" });
      expect(!result.ok && result.error.code).toBe("PASSKEY_REFUSED");
    }
    const response = authenticator.register(await registrationOptions());
    for (const name of ["   ", "x".repeat(101)]) {
      const result = await auth.useCases.registerPasskey.execute({ ...who, response, name });
      expect(!result.ok && result.error.code).toBe("VALIDATION_FAILED");
    }
  });

  it("binds a credential to one user: the same credential cannot be registered again, by anyone", async () => {
    const { auth, authenticator, who, registrationOptions, addPasskey } = await aPasskeyUser();
    await addPasskey();
    const first = authenticator.credentials[0]!;
    const again = await auth.useCases.registerPasskey.execute({ ...who, response: authenticator.register(await registrationOptions(), {}, first), name: "Copy" });
    expect(!again.ok && again.error.code).toBe("PASSKEY_ALREADY_REGISTERED");

    const sam = await auth.registerUser({ email: "sam@example.com" });
    const sams = { userId: sam.user.id, sessionId: sam.session.id };
    const response = authenticator.register(await registrationOptions(sams), {}, first);
    const taken = await auth.useCases.registerPasskey.execute({ ...sams, response, name: "Mine now" });
    expect(!taken.ok && taken.error.code).toBe("PASSKEY_ALREADY_REGISTERED");
    expect((await auth.stores.passkeys.findByCredentialId(first.id.toString("base64url")))?.userId).toBe(who.userId);
    expect(auth.outbox.messages.filter((m) => m.template === "passkey-added")).toHaveLength(1);
  });

  it("needs a fresh session to start and to finish", async () => {
    const { auth, authenticator, who, registrationOptions } = await aPasskeyUser();
    const options = await registrationOptions();
    auth.clock.advance({ seconds: auth.settings.freshAuthMaxAgeSeconds + 1 });
    const start = await auth.useCases.startPasskeyRegistration.execute(who);
    expect(!start.ok && start.error.code).toBe("REAUTHENTICATION_REQUIRED");
    const finish = await auth.useCases.registerPasskey.execute({ ...who, response: new SoftwareAuthenticator(auth.appUrl).register(options), name: "X" });
    expect(!finish.ok && finish.error.code).toBe("REAUTHENTICATION_REQUIRED");
    void authenticator;
  });
});

describe("Removing a passkey", () => {
  it("removes the user's own passkey, mails a notice and logs passkey.removed", async () => {
    const { auth, pat, who, addPasskey } = await aPasskeyUser();
    const passkey = await addPasskey("Phone");
    expect((await auth.useCases.removePasskey.execute({ ...who, passkeyId: passkey.id })).ok).toBe(true);
    expect(await auth.useCases.listPasskeys.execute({ userId: pat.user.id })).toEqual([]);
    expect(auth.outbox.messages.at(-1)).toEqual({ to: "pat@example.com", template: "passkey-removed", params: { name: "Phone" } });
    expect((await auth.stores.events.listForUser(pat.user.id, 10)).map((e) => e.type)).toContain("passkey.removed");
  });

  it("answers NOT_FOUND for someone else's passkey and leaves it in place", async () => {
    const { auth, addPasskey } = await aPasskeyUser();
    const passkey = await addPasskey();
    const sam = await auth.registerUser({ email: "sam@example.com" });
    const result = await auth.useCases.removePasskey.execute({ userId: sam.user.id, sessionId: sam.session.id, passkeyId: passkey.id });
    expect(!result.ok && result.error.code).toBe("NOT_FOUND");
    expect(await auth.stores.passkeys.findByCredentialId(passkey.credentialId)).not.toBeNull();
  });

  it("needs a fresh session", async () => {
    const { auth, who, addPasskey } = await aPasskeyUser();
    const passkey = await addPasskey();
    auth.clock.advance({ seconds: auth.settings.freshAuthMaxAgeSeconds + 1 });
    const result = await auth.useCases.removePasskey.execute({ ...who, passkeyId: passkey.id });
    expect(!result.ok && result.error.code).toBe("REAUTHENTICATION_REQUIRED");
  });
});
