import { formatRecoveryCode, normaliseRecoveryCode, RecoveryCode, recoveryCodeLookup } from "../../../src/domain/mfa/recovery-code";
import { TotpFactor, totpCode } from "../../../src/domain/mfa/totp-factor";
import type { PasswordHash } from "../../../src/domain/identity/password";

describe("Codes as people type them", () => {
  it("reads a recovery code whatever its case, dashes and spaces, and the letters one misreads as digits", () => {
    expect(normaliseRecoveryCode(" ABCD-EFGH jkmn-pqrs ")).toBe("abcdefghjkmnpqrs");
    expect(normaliseRecoveryCode("oOiI-lL00-1111-2222")).toBe("0011110011112222");
    expect(formatRecoveryCode("abcdefghjkmnpqrs")).toBe("abcd-efgh-jkmn-pqrs");
  });

  it.each([
    ["a number", 1234567890123456],
    ["too long to be one", "a".repeat(65)],
    ["one character short", "abcd-efgh-jkmn-pqr"],
    ["one character over", "abcd-efgh-jkmn-pqrst"],
    ["a U, which the alphabet leaves out", "abcd-efgh-jkmn-pqru"],
    ["punctuation", "abcd-efgh-jkmn-pq!s"],
  ])("does not take %s as a recovery code", (_what, raw) => {
    expect(normaliseRecoveryCode(raw)).toBeNull();
  });

  it("stores a recovery code by its first characters and its hash only, unused until spent", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const code = RecoveryCode.create({ id: "r1", userId: "u1", code: "abcdefghjkmnpqrs", codeHash: "argon2-hash" as PasswordHash }, now);
    const snapshot = code.toSnapshot();
    expect(snapshot).toEqual({ id: "r1", userId: "u1", lookup: recoveryCodeLookup("abcdefghjkmnpqrs"), codeHash: "argon2-hash", createdAt: now, usedAt: null });
    expect(snapshot.lookup).toBe("abcd");
    expect(JSON.stringify(snapshot)).not.toContain("efghjkmnpqrs");
    const used = RecoveryCode.restore({ ...snapshot, usedAt: now });
    expect(used.usedAt).toEqual(now);
    expect(code.usedAt).toBeNull();
  });

  it("reads an authenticator code with the spaces apps show, and nothing else", () => {
    expect(totpCode("123 456")).toBe("123456");
    expect(totpCode("123-456")).toBe("123456");
    for (const raw of [123456, "12345", "1234567", "12a456", " ".repeat(33) + "123456", null]) expect(totpCode(raw)).toBeNull();
  });

  it("turns an authenticator on only by restoring it enabled, and accepts only steps after the last one used", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const pending = TotpFactor.pending({ userId: "u1", secret: "SECRET" }, now);
    expect(pending.isEnabled).toBe(false);
    expect(pending.acceptsStep(0)).toBe(true);
    const enabled = TotpFactor.restore({ ...pending.toSnapshot(), enabledAt: now, lastUsedStep: 100 });
    expect(enabled.isEnabled).toBe(true);
    expect([99, 100, 101].map((step) => enabled.acceptsStep(step))).toEqual([false, false, true]);
    expect(pending.toSnapshot().lastUsedStep).toBeNull();
  });
});
