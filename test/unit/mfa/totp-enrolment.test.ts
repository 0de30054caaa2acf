import { createInMemoryAuth, TEST_CONTEXT } from "../../../src/infrastructure/testing/in-memory-auth";
import { codeFor, passwordStep, secondStep, withTotp } from "./support";

describe("Setting up an authenticator app", () => {
  it("hands out a fresh 160-bit base32 seed, its otpauth URI and an SVG QR code, and keeps the factor pending", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const first = await auth.useCases.setUpTotp.execute({ userId: ann.user.id, sessionId: ann.session.id });
    const second = await auth.useCases.setUpTotp.execute({ userId: ann.user.id, sessionId: ann.session.id });
    if (!first.ok || !second.ok) throw new Error("setup failed");

    expect(first.value.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(second.value.secret).not.toBe(first.value.secret);
    const uri = new URL(second.value.otpauthUrl);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(second.value.secret);
    expect(uri.searchParams.get("issuer")).toBe("nextauth-hex");
    expect(decodeURIComponent(uri.pathname)).toContain("ann@example.com");
    expect(second.value.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(await auth.useCases.getMfaStatus.execute({ userId: ann.user.id })).toEqual({ totp: "pending", enabledAt: null, recoveryCodesLeft: 0 });
    // Only the newest seed can be enabled: the first one was replaced.
    const stale = await auth.useCases.enableTotp.execute({ userId: ann.user.id, code: await codeFor(auth, first.value.secret) });
    expect(!stale.ok && stale.error.code).toBe("INVALID_MFA_CODE");
  });

  it("turns the factor on only with a valid code, with ten distinct recovery codes shown once and a notice mailed", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    expect((await auth.useCases.enableTotp.execute({ userId: ann.user.id, code: "123456" })).ok).toBe(false);
    const setup = await auth.useCases.setUpTotp.execute({ userId: ann.user.id, sessionId: ann.session.id });
    if (!setup.ok) throw new Error("setup failed");

    for (const code of ["000000", "12345", "abcdef", await codeFor(auth, setup.value.secret, 2)]) {
      const refused = await auth.useCases.enableTotp.execute({ userId: ann.user.id, code });
      expect(!refused.ok && refused.error.code).toBe("INVALID_MFA_CODE");
    }
    const enabled = await auth.useCases.enableTotp.execute({ userId: ann.user.id, code: await codeFor(auth, setup.value.secret), context: TEST_CONTEXT });
    if (!enabled.ok) throw new Error(enabled.error.code);

    const codes = enabled.value.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
    // Stored only as password hashes: no row holds a code in clear.
    const stored = [...auth.db.tables.recoveryCodes.values()];
    expect(stored).toHaveLength(10);
    for (const row of stored) expect(codes.map((c) => c.replace(/-/g, ""))).not.toContain(row.codeHash);
    expect(JSON.stringify(stored)).not.toContain(codes[0]!.replace(/-/g, "").slice(4));
    expect(auth.outbox.lastTo("ann@example.com")?.template).toBe("mfa-enabled");
    expect((await auth.useCases.getMfaStatus.execute({ userId: ann.user.id })).totp).toBe("on");

    const again = await auth.useCases.setUpTotp.execute({ userId: ann.user.id, sessionId: ann.session.id });
    expect(!again.ok && again.error.code).toBe("MFA_ALREADY_ENABLED");
  });

  it("spends the enrolment code: it cannot open a sign-in in the same time step", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const setup = await auth.useCases.setUpTotp.execute({ userId: ann.user.id, sessionId: ann.session.id });
    if (!setup.ok) throw new Error("setup failed");
    const code = await codeFor(auth, setup.value.secret);
    expect((await auth.useCases.enableTotp.execute({ userId: ann.user.id, code })).ok).toBe(true);

    auth.clock.advance({ seconds: 10 });
    const refused = await secondStep(auth, await passwordStep(auth), { code });
    expect(!refused.ok && refused.error.code).toBe("INVALID_MFA_CODE");
  });

  it("makes a new set of recovery codes on request, voiding every old one, and mails a notice", async () => {
    const { auth, ann, recoveryCodes } = await withTotp();
    const renewed = await auth.useCases.regenerateRecoveryCodes.execute({ userId: ann.user.id, sessionId: ann.session.id, context: TEST_CONTEXT });
    if (!renewed.ok) throw new Error(renewed.error.code);
    expect(renewed.value.recoveryCodes).toHaveLength(10);
    expect(renewed.value.recoveryCodes.some((code) => recoveryCodes.includes(code))).toBe(false);
    expect(auth.outbox.lastTo("ann@example.com")?.template).toBe("recovery-codes-regenerated");

    const old = await secondStep(auth, await passwordStep(auth), { recoveryCode: recoveryCodes[0]! });
    expect(!old.ok && old.error.code).toBe("INVALID_MFA_CODE");
    expect((await secondStep(auth, await passwordStep(auth), { recoveryCode: renewed.value.recoveryCodes[0]! })).ok).toBe(true);
  });

  it("refuses new recovery codes while no factor is on", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser();
    const refused = await auth.useCases.regenerateRecoveryCodes.execute({ userId: ann.user.id, sessionId: ann.session.id });
    expect(!refused.ok && refused.error.code).toBe("MFA_NOT_ENABLED");
  });

  it("turns the factor off only with a valid, unspent code, mails a notice, and then sign-in needs the password only", async () => {
    const { auth, ann, secret, enrolmentCode } = await withTotp();
    const disable = (code: string) => auth.useCases.disableTotp.execute({ userId: ann.user.id, sessionId: ann.session.id, code, context: TEST_CONTEXT });

    const wrong = await disable(enrolmentCode);
    expect(!wrong.ok && wrong.error.code).toBe("INVALID_MFA_CODE");
    expect((await auth.useCases.getMfaStatus.execute({ userId: ann.user.id })).totp).toBe("on");

    expect((await disable(await codeFor(auth, secret))).ok).toBe(true);
    expect(auth.outbox.lastTo("ann@example.com")?.template).toBe("mfa-disabled");
    expect(await auth.useCases.getMfaStatus.execute({ userId: ann.user.id })).toEqual({ totp: "off", enabledAt: null, recoveryCodesLeft: 0 });
    expect(auth.db.tables.recoveryCodes.size).toBe(0);
    expect((await auth.useCases.signIn.execute({ email: "ann@example.com", password: ann.password, context: TEST_CONTEXT })).ok).toBe(true);
  });

  it("also turns the factor off with a recovery code (a lost phone)", async () => {
    const { auth, ann, recoveryCodes } = await withTotp();
    const result = await auth.useCases.disableTotp.execute({ userId: ann.user.id, sessionId: ann.session.id, recoveryCode: recoveryCodes[3]! });
    expect(result.ok).toBe(true);
  });
});
