import { API_KEY_NAME_MAX_LENGTH, ApiKey } from "../../../src/domain/api-key/api-key";
import { fail, isFailure, ok } from "../../../src/domain/shared/result";
import { InvalidInput, RateLimited, WeakPassword } from "../../../src/domain/shared/domain-error";

const t0 = new Date("2030-01-01T00:00:00Z");
const props = { id: "k1", userId: "u1", name: "  CI deploy  ", prefix: "0123456789abcdef", secretHash: "h" };

describe("ApiKey", () => {
  it("keeps a trimmed name and starts unused and unrevoked", () => {
    const key = ApiKey.create(props, t0);
    expect(key.name).toBe("CI deploy");
    expect([key.id, key.userId, key.prefix, key.secretHash, key.lastUsedAt, key.revokedAt]).toEqual([
      "k1",
      "u1",
      "0123456789abcdef",
      "h",
      null,
      null,
    ]);
    expect(key.createdAt).toEqual(t0);
    expect(key.isRevoked).toBe(false);
  });

  it("refuses an empty or overlong name", () => {
    expect(() => ApiKey.create({ ...props, name: "   " }, t0)).toThrow(RangeError);
    expect(() => ApiKey.create({ ...props, name: "x".repeat(API_KEY_NAME_MAX_LENGTH + 1) }, t0)).toThrow(RangeError);
  });

  it("keeps the first revocation", () => {
    const key = ApiKey.restore(ApiKey.create(props, t0).toSnapshot());
    key.revoke(t0);
    key.revoke(new Date(t0.getTime() + 1000));
    expect(key.isRevoked).toBe(true);
    expect(key.revokedAt).toEqual(t0);
  });
});

describe("Result and domain errors", () => {
  it("tells failures apart from successes", () => {
    expect(isFailure(fail("x"))).toBe(true);
    expect(isFailure(ok(1))).toBe(false);
    expect(isFailure(null)).toBe(false);
    expect(isFailure("ok")).toBe(false);
    expect(ok()).toEqual({ ok: true, value: undefined });
  });

  it("carry stable codes and the details a client needs", () => {
    expect(new RateLimited(30)).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 30 });
    expect(new InvalidInput("bad")).toMatchObject({ code: "VALIDATION_FAILED", fields: {} });
    expect(new WeakPassword("COMMON", "too common")).toMatchObject({ code: "WEAK_PASSWORD", reason: "COMMON" });
  });
});
