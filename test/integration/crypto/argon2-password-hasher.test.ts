import * as argon2 from "argon2";
import { Argon2PasswordHasher, ARGON2_MINIMUM } from "../../../src/infrastructure/crypto/argon2-password-hasher";
import { Password, type PasswordHash, type PasswordPolicy } from "../../../src/domain/identity/password";

const noCommon = { contains: () => false };

function password(raw: string, policy: PasswordPolicy = { minLength: 8, maxLength: 128 }): Password {
  const result = Password.create(raw, policy, noCommon);
  if (!result.ok) throw new Error(`test password refused: ${result.error.message}`);
  return result.value;
}

/** The m/t/p of a PHC string, whatever order the encoder wrote them in. */
function parameters(hash: string): Record<string, number> {
  return Object.fromEntries(hash.split("$")[3].split(",").map((pair) => [pair.split("=")[0], Number(pair.split("=")[1])]));
}

/**
 * Median time of `a` over median time of `b`, measured alternately so both see the same load
 * (other test files run on the same cores).
 */
async function timeRatio(rounds: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<number> {
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let start = performance.now();
    await a();
    as.push(performance.now() - start);
    start = performance.now();
    await b();
    bs.push(performance.now() - start);
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return median(as) / median(bs);
}

describe("Argon2PasswordHasher", () => {
  const hasher = new Argon2PasswordHasher();

  it("hashes with argon2id at the pinned OWASP parameters by default", async () => {
    const hash = await hasher.hash(password("correct horse battery"));
    expect(hash).toMatch(/^\$argon2id\$v=19\$[^$]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]{43}$/);
    expect(parameters(hash)).toEqual({ m: 19456, t: 2, p: 1 });
  });

  it("salts every hash: the same password never gives the same hash twice", async () => {
    const p = password("correct horse battery");
    expect(await hasher.hash(p)).not.toEqual(await hasher.hash(p));
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await hasher.hash(password("correct horse battery"));
    await expect(hasher.verify(hash, "correct horse battery")).resolves.toBe(true);
    await expect(hasher.verify(hash, "correct horse batterY")).resolves.toBe(false);
    await expect(hasher.verify(hash, "")).resolves.toBe(false);
  });

  it("uses stronger configured parameters and refuses anything below the minimum", async () => {
    const strong = new Argon2PasswordHasher({ memoryKiB: 32768, timeCost: 3, parallelism: 2 });
    expect(parameters(await strong.hash(password("correct horse battery")))).toEqual({ m: 32768, t: 3, p: 2 });
    expect(() => new Argon2PasswordHasher({ memoryKiB: ARGON2_MINIMUM.memoryKiB - 1 })).toThrow(RangeError);
    expect(() => new Argon2PasswordHasher({ timeCost: 1 })).toThrow(RangeError);
    expect(() => new Argon2PasswordHasher({ parallelism: 0 })).toThrow(RangeError);
    expect(() => new Argon2PasswordHasher({ memoryKiB: 20000.5 })).toThrow(RangeError);
  });

  describe("needsRehash", () => {
    it("is false for a hash made with the current parameters", async () => {
      expect(hasher.needsRehash(await hasher.hash(password("correct horse battery")))).toBe(false);
    });

    it("is true for weaker parameters, another variant, or package defaults", async () => {
      const weaker = (await argon2.hash("pw", { type: argon2.argon2id, memoryCost: 8192, timeCost: 2, parallelism: 1 })) as PasswordHash;
      const fewerPasses = (await argon2.hash("pw", { type: argon2.argon2id, memoryCost: 19456, timeCost: 1, parallelism: 1 })) as PasswordHash;
      const argon2i = (await argon2.hash("pw", { type: argon2.argon2i, memoryCost: 19456, timeCost: 2, parallelism: 1 })) as PasswordHash;
      const packageDefaults = (await argon2.hash("pw")) as PasswordHash;
      for (const hash of [weaker, fewerPasses, argon2i, packageDefaults]) expect(hasher.needsRehash(hash)).toBe(true);
    });

    it("is true for hashes of the old minimum once the configuration is raised", async () => {
      const old = await hasher.hash(password("correct horse battery"));
      const raised = new Argon2PasswordHasher({ memoryKiB: 47104 });
      expect(raised.needsRehash(old)).toBe(true);
      // …and the old hash still signs the user in, so the upgrade can happen.
      await expect(raised.verify(old, "correct horse battery")).resolves.toBe(true);
    });

    it("does not throw on a malformed hash", () => {
      for (const bad of ["", "garbage", "$argon2id$v=19$m=x", "$2b$10$abcdefghijklmnopqrstuv"]) {
        expect(hasher.needsRehash(bad as PasswordHash)).toBe(true);
      }
    });
  });

  it("still verifies a hash made with weaker parameters (so sign-in can upgrade it)", async () => {
    const weaker = (await argon2.hash("old password!", { type: argon2.argon2i, memoryCost: 4096, timeCost: 1, parallelism: 1 })) as PasswordHash;
    await expect(hasher.verify(weaker, "old password!")).resolves.toBe(true);
    await expect(hasher.verify(weaker, "old password?")).resolves.toBe(false);
  });

  it("answers false, never throws, for a malformed stored hash", async () => {
    const good = await hasher.hash(password("correct horse battery"));
    const malformed = [
      "",
      "not a hash",
      "$argon2id$",
      "$argon2id$v=19$m=19456,t=2,p=1$",
      good.slice(0, good.length - 10),
      good.replace("m=19456", "m=banana"),
      good.replace("$argon2id$", "$argon2x$"),
      "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
      "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$",
    ];
    for (const hash of malformed) {
      await expect(hasher.verify(hash as PasswordHash, "correct horse battery")).resolves.toBe(false);
    }
    await expect(hasher.verify(undefined as unknown as PasswordHash, "x")).resolves.toBe(false);
    await expect(hasher.verify(good, undefined as unknown as string)).resolves.toBe(false);
  });

  describe("maximum length (counted in code points)", () => {
    const wide = { minLength: 8, maxLength: 1000 };

    it("refuses to hash a password over the maximum", async () => {
      await expect(hasher.hash(password("a".repeat(129), wide))).rejects.toThrow(RangeError);
    });

    it("never truncates: one character more than a matching password is refused", async () => {
      const exact = "p".repeat(128);
      const hash = await hasher.hash(password(exact));
      await expect(hasher.verify(hash, exact)).resolves.toBe(true);
      await expect(hasher.verify(hash, exact + "p")).resolves.toBe(false);
    });

    it("counts code points, not UTF-16 units: 128 emoji fit", async () => {
      const emoji = "🔐".repeat(128); // 256 UTF-16 units
      const hash = await hasher.hash(password(emoji));
      await expect(hasher.verify(hash, emoji)).resolves.toBe(true);
    });

    it("refuses a huge input without hashing it", async () => {
      const hash = await hasher.hash(password("correct horse battery"));
      const start = performance.now();
      await expect(hasher.verify(hash, "x".repeat(10_000_000))).resolves.toBe(false);
      expect(performance.now() - start).toBeLessThan(1000);
    });

    it("honours a configured maximum", async () => {
      const short = new Argon2PasswordHasher({ maxLength: 10 });
      await expect(short.hash(password("abcdefghijk", wide))).rejects.toThrow(RangeError);
    });
  });

  describe("verifyDummy", () => {
    it("resolves for any input, over-long and odd ones included", async () => {
      await expect(hasher.verifyDummy("whatever")).resolves.toBeUndefined();
      await expect(hasher.verifyDummy("x".repeat(1_000_000))).resolves.toBeUndefined();
      await expect(hasher.verifyDummy(undefined as unknown as string)).resolves.toBeUndefined();
    });

    it("spends about the time of a real verify, so an unknown account is not faster", async () => {
      const hash = await hasher.hash(password("correct horse battery"));
      await hasher.verifyDummy("warm-up");
      const ratio = await timeRatio(9, () => hasher.verifyDummy("wrong password"), () => hasher.verify(hash, "wrong password"));
      expect(ratio).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(2.5);
    });

    it("uses the hasher's own parameters", async () => {
      const strong = new Argon2PasswordHasher({ timeCost: 6 });
      const hash = await strong.hash(password("correct horse battery"));
      await strong.verifyDummy("warm-up");
      // A dummy made with the minimum parameters would take a third of the time.
      const ratio = await timeRatio(7, () => strong.verifyDummy("wrong password"), () => strong.verify(hash, "wrong password"));
      expect(ratio).toBeGreaterThan(0.6);
      expect(ratio).toBeLessThan(2.5);
    });
  });
});
