import { VerificationToken } from "../../../src/domain/identity/verification-token";
import { constantTimeEqual } from "../../../src/domain/shared/constant-time";

const t0 = new Date("2030-01-01T00:00:00Z");
const plus = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function newToken(): VerificationToken {
  return VerificationToken.create(
    { id: "t1", userId: "u1", purpose: "verify-email", tokenHash: "abc123", email: "ann@example.com", ttlSeconds: 60 },
    t0,
  );
}

describe("VerificationToken", () => {
  it("is usable only for its purpose, its hash and before it expires", () => {
    const token = newToken();
    expect(token.isUsable("verify-email", "abc123", t0)).toBe(true);
    expect(token.isUsable("reset-password", "abc123", t0)).toBe(false);
    expect(token.isUsable("verify-email", "abc124", t0)).toBe(false);
    expect(token.isUsable("verify-email", "abc123", plus(59))).toBe(true);
    expect(token.isUsable("verify-email", "abc123", plus(60))).toBe(false);
    expect([token.id, token.userId, token.purpose, token.tokenHash, token.email]).toEqual([
      "t1",
      "u1",
      "verify-email",
      "abc123",
      "ann@example.com",
    ]);
    expect(token.createdAt).toEqual(t0);
    expect(token.expiresAt).toEqual(plus(60));
  });

  it("is single use", () => {
    const token = newToken();
    token.consume(plus(1));
    token.consume(plus(2));
    expect(token.consumedAt).toEqual(plus(1));
    expect(token.isUsable("verify-email", "abc123", plus(3))).toBe(false);
  });

  it("stops working once superseded", () => {
    const token = newToken();
    token.invalidate(plus(1));
    token.invalidate(plus(2));
    expect(token.invalidatedAt).toEqual(plus(1));
    expect(token.isUsable("verify-email", "abc123", plus(3))).toBe(false);
  });

  it("round-trips through a snapshot without sharing state", () => {
    const token = newToken();
    const copy = VerificationToken.restore(token.toSnapshot());
    copy.consume(t0);
    expect(token.consumedAt).toBeNull();
  });
});

describe("constantTimeEqual", () => {
  it("compares whole strings of any length", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });
});
