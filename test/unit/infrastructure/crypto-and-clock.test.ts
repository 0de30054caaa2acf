import { DEFAULT_PASSWORD_POLICY, Password } from "../../../src/domain/identity/password";
import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import { SystemClock } from "../../../src/infrastructure/clock/system-clock";
import { FastPasswordHasher } from "../../../src/infrastructure/crypto/fast-password-hasher";
import { InMemorySessionTokens } from "../../../src/infrastructure/crypto/in-memory-session-tokens";
import { NodeRandomTokens } from "../../../src/infrastructure/crypto/node-random-tokens";
import { FileCommonPasswords } from "../../../src/infrastructure/security/file-common-passwords";

const none = { contains: () => false };

describe("NodeRandomTokens", () => {
  const random = new NodeRandomTokens();
  it("makes 128-bit ids and 256-bit secrets, URL-safe and never repeated", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => random.newId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(random.newSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("hashes with SHA-256 as lower-case hex", () => {
    expect(random.hash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("FastPasswordHasher", () => {
  const password = (raw: string) => {
    const created = Password.create(raw, DEFAULT_PASSWORD_POLICY, none);
    if (!created.ok) throw new Error("bad test password");
    return created.value;
  };

  it("verifies the right password only, with a fresh salt each time", async () => {
    const hasher = new FastPasswordHasher();
    const a = await hasher.hash(password("correct-password"));
    const b = await hasher.hash(password("correct-password"));
    expect(a).not.toBe(b);
    expect(await hasher.verify(a, "correct-password")).toBe(true);
    expect(await hasher.verify(a, "wrong-password")).toBe(false);
    expect(await hasher.verify("garbage" as never, "correct-password")).toBe(false);
  });

  it("asks for a rehash of hashes made with another version", async () => {
    const old = new FastPasswordHasher(1).hashRaw("correct-password");
    const hasher = new FastPasswordHasher(2);
    expect(hasher.needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash(password("correct-password")))).toBe(false);
    expect(await hasher.verify(old, "correct-password")).toBe(true);
  });

  it("counts dummy verifications", async () => {
    const hasher = new FastPasswordHasher();
    await hasher.verifyDummy("anything");
    expect(hasher.dummyVerifications).toBe(1);
  });
});

describe("InMemorySessionTokens", () => {
  it("maps opaque tokens to their claims until they expire", async () => {
    const tokens = new InMemorySessionTokens();
    const issuedAt = new Date("2030-01-01T00:00:00Z");
    const expiresAt = new Date("2030-01-02T00:00:00Z");
    // Ids long enough that 32 random base64url characters never hold them by chance ("u1" did, 1 run in ~130).
    const sub = "user-7f3c9a2e";
    const token = await tokens.sign({ sub, sid: "s1", issuedAt, expiresAt });
    expect(token).not.toContain(sub);
    expect(await tokens.verify(token, issuedAt)).toEqual({ sub, sid: "s1", issuedAt, expiresAt });
    expect(await tokens.verify(token, expiresAt)).toBeNull();
    expect(await tokens.verify("st_unknown", issuedAt)).toBeNull();
    expect(await tokens.verify(42 as never, issuedAt)).toBeNull();
    expect(tokens.peek(token)?.sid).toBe("s1");
  });
});

describe("FileCommonPasswords", () => {
  it("loads the shipped blocklist once and answers case-insensitively", () => {
    const list = new FileCommonPasswords();
    expect(list.size).toBeGreaterThanOrEqual(3000);
    expect(list.contains("password")).toBe(true);
    expect(list.contains("PassWord")).toBe(true);
    expect(list.contains("Vivid-Lantern-93")).toBe(false);
    expect(new FileCommonPasswords().size).toBe(list.size);
  });

  it("names the file it could not find", () => {
    expect(() => new FileCommonPasswords("/nonexistent/common-passwords.txt")).toThrow(/ENOENT/);
  });
});

describe("clocks", () => {
  it("the system clock tells the real time", () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it("the controllable clock moves only when told", () => {
    const clock = new ControllableClock("2030-01-01T00:00:00Z");
    expect(clock.now().toISOString()).toBe("2030-01-01T00:00:00.000Z");
    clock.advance({ days: 1, hours: 1, minutes: 1, seconds: 1 });
    expect(clock.now().toISOString()).toBe("2030-01-02T01:01:01.000Z");
    clock.advance(59);
    expect(clock.now().toISOString()).toBe("2030-01-02T01:02:00.000Z");
    clock.set(new Date("2031-01-01T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2031-01-01T00:00:00.000Z");
  });
});
