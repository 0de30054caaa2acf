import { createInMemoryAuth, type AuthSettingsOverrides } from "../../../src/infrastructure/testing/in-memory-auth";

async function setup(settings?: AuthSettingsOverrides) {
  const auth = createInMemoryAuth({ settings });
  const signedUp = await auth.registerUser({ email: "ann@example.com" });
  const request = (email: string, context = auth.context) => auth.useCases.requestPasswordReset.execute({ email, context });
  return { auth, request, ...signedUp };
}

describe("RequestPasswordReset", () => {
  it("mails a reset link to an existing account", async () => {
    const { auth, request, user } = await setup();
    const result = await request("Ann@Example.com");
    expect(result).toEqual({ ok: true, value: undefined });
    expect(auth.outbox.lastTokenFor("ann@example.com", "password-reset")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [token] = [...auth.db.tables.tokens.values()].filter((row) => row.purpose === "reset-password");
    expect(token?.expiresAt).toEqual(new Date(auth.clock.now().getTime() + auth.settings.resetTokenTtlSeconds * 1000));
    expect((await auth.stores.events.listForUser(user.id, 1))[0]?.type).toBe("password.reset-requested");
  });

  it("answers an unknown address exactly the same, and mails nothing", async () => {
    const { auth, request } = await setup();
    const known = await request("ann@example.com");
    const mails = auth.outbox.messages.length;
    const unknown = await request("nobody@example.com");
    expect(unknown).toEqual(known);
    expect(auth.outbox.messages).toHaveLength(mails);
  });

  it("lets only the newest link work", async () => {
    const { auth, request } = await setup();
    await request("ann@example.com");
    const older = auth.outbox.lastTokenFor("ann@example.com", "password-reset")!;
    await request("ann@example.com");
    const newer = auth.outbox.lastTokenFor("ann@example.com", "password-reset")!;

    expect((await auth.useCases.resetPassword.execute({ token: older, password: "Brand-New-Secret-5" })).ok).toBe(false);
    expect((await auth.useCases.resetPassword.execute({ token: newer, password: "Brand-New-Secret-5" })).ok).toBe(true);
  });

  it("stops mailing one account silently past its limit", async () => {
    const { auth, request } = await setup({ rateLimits: { emailPerAccount: { limit: 2, windowSeconds: 3600 } } });
    // Sign-up's verification mail counted as the first.
    const first = await request("ann@example.com");
    const second = await request("ann@example.com");
    expect(second).toEqual(first);
    expect(auth.outbox.messages.filter((mail) => mail.template === "password-reset")).toHaveLength(1);
  });

  it("refuses by client IP past the per-IP limit, the same for every address", async () => {
    const { request } = await setup({ rateLimits: { emailPerIp: { limit: 2, windowSeconds: 600 } } });
    // Sign-up counted once from the same IP.
    await request("ann@example.com");
    const known = await request("ann@example.com");
    const unknown = await request("nobody@example.com");
    expect(!known.ok && known.error.code).toBe("RATE_LIMITED");
    expect(unknown).toEqual(known);
    expect((await request("nobody@example.com", { ip: "198.51.100.6", userAgent: null })).ok).toBe(true);
  });

  it("refuses a malformed address as such", async () => {
    const { request } = await setup();
    const result = await request("not-an-email");
    expect(!result.ok && result.error.code).toBe("INVALID_EMAIL");
  });
});
