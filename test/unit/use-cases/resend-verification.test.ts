import { createInMemoryAuth, type AuthSettingsOverrides } from "../../../src/infrastructure/testing/in-memory-auth";

async function setup(settings?: AuthSettingsOverrides) {
  const auth = createInMemoryAuth({ settings });
  const signedUp = await auth.registerUser({ email: "ann@example.com", verified: false });
  const resend = (context = auth.context) => auth.useCases.resendVerification.execute({ userId: signedUp.user.id, context });
  return { auth, resend, ...signedUp };
}

describe("ResendVerification", () => {
  it("mails a new link that supersedes the old one", async () => {
    const { auth, resend, user } = await setup();
    const first = auth.outbox.lastTokenFor("ann@example.com", "verify-email")!;

    const result = await resend();

    expect(result.ok && result.value.sent).toBe(true);
    const second = auth.outbox.lastTokenFor("ann@example.com", "verify-email")!;
    expect(second).not.toBe(first);
    expect(auth.outbox.messages.filter((mail) => mail.template === "verify-email")).toHaveLength(2);
    expect((await auth.useCases.verifyEmail.execute({ token: first })).ok).toBe(false);
    expect((await auth.useCases.verifyEmail.execute({ token: second })).ok).toBe(true);
    expect(auth.stores.events.all().some((e) => e.type === "email.verification-sent" && e.userId === user.id)).toBe(true);
  });

  it("sends nothing once the address is verified", async () => {
    const { auth, resend } = await setup();
    await auth.useCases.verifyEmail.execute({ token: auth.outbox.lastTokenFor("ann@example.com", "verify-email")! });
    const mails = auth.outbox.messages.length;
    const result = await resend();
    expect(result.ok && result.value.sent).toBe(false);
    expect(auth.outbox.messages).toHaveLength(mails);
  });

  it("limits mails per account, sign-up's included, across IPs", async () => {
    const { auth, resend } = await setup({ rateLimits: { emailPerAccount: { limit: 3, windowSeconds: 3600 } } });
    expect((await resend()).ok).toBe(true);
    expect((await resend({ ip: "198.51.100.4", userAgent: null })).ok).toBe(true);
    const third = await resend({ ip: "198.51.100.5", userAgent: null });
    expect(!third.ok && third.error).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 3600 });
    expect(auth.outbox.messages).toHaveLength(3);
  });

  it("limits e-mail requests per client IP", async () => {
    const { resend } = await setup({ rateLimits: { emailPerIp: { limit: 2, windowSeconds: 600 } } });
    expect((await resend()).ok).toBe(true);
    const blocked = await resend();
    expect(!blocked.ok && blocked.error.code).toBe("RATE_LIMITED");
  });

  it("refuses an unknown account", async () => {
    const { auth } = await setup();
    const result = await auth.useCases.resendVerification.execute({ userId: "nobody", context: auth.context });
    expect(!result.ok && result.error.code).toBe("UNAUTHENTICATED");
  });
});
