import { randomBytes } from "node:crypto";
import * as argon2 from "argon2";
import type { PasswordHasher } from "../../application/shared/ports/password-hasher.port";
import { DEFAULT_PASSWORD_POLICY, type Password, type PasswordHash } from "../../domain/identity/password";

/** Argon2id cost parameters. Memory in KiB. */
export interface Argon2Parameters {
  readonly memoryKiB: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** OWASP's floor for argon2id (m=19 MiB, t=2, p=1); configuration may raise it, never lower it. */
export const ARGON2_MINIMUM: Argon2Parameters = { memoryKiB: 19456, timeCost: 2, parallelism: 1 };

export interface Argon2PasswordHasherOptions extends Partial<Argon2Parameters> {
  /** Longest accepted password in code points (the core refuses longer ones first). */
  readonly maxLength?: number;
}

/** The only variant we produce; a hash of another variant is upgraded at the next sign-in. */
const VARIANT_PREFIX = "$argon2id$";
const HASH_LENGTH = 32;
const ARGON2_VERSION = 0x13;

/**
 * Argon2id with parameters pinned in code. Every method is a plain async call on the instance, so a
 * decorator (e.g. one bounding concurrent hashing) can wrap it without knowing argon2.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  readonly parameters: Argon2Parameters;
  private readonly maxLength: number;
  private readonly dummyHash: Promise<string>;

  constructor(options: Argon2PasswordHasherOptions = {}) {
    const parameters: Argon2Parameters = {
      memoryKiB: options.memoryKiB ?? ARGON2_MINIMUM.memoryKiB,
      timeCost: options.timeCost ?? ARGON2_MINIMUM.timeCost,
      parallelism: options.parallelism ?? ARGON2_MINIMUM.parallelism,
    };
    for (const key of Object.keys(ARGON2_MINIMUM) as (keyof Argon2Parameters)[]) {
      if (!Number.isInteger(parameters[key]) || parameters[key] < ARGON2_MINIMUM[key]) {
        throw new RangeError(`argon2 ${key} must be an integer ≥ ${ARGON2_MINIMUM[key]}`);
      }
    }
    this.parameters = Object.freeze(parameters);
    this.maxLength = options.maxLength ?? DEFAULT_PASSWORD_POLICY.maxLength;

    // Made once, with the very parameters of real hashes, so an unknown account costs the same time.
    this.dummyHash = argon2.hash(randomBytes(32).toString("base64url"), this.hashOptions());
    this.dummyHash.catch(() => undefined); // surfaced by verifyDummy, not as an unhandled rejection
  }

  async hash(password: Password): Promise<PasswordHash> {
    if (!this.withinMaximum(password.value)) {
      throw new RangeError("password exceeds the maximum length");
    }
    return (await argon2.hash(password.value, this.hashOptions())) as PasswordHash;
  }

  async verify(hash: PasswordHash, plain: string): Promise<boolean> {
    if (typeof hash !== "string" || typeof plain !== "string" || !this.withinMaximum(plain)) return false;
    try {
      return await argon2.verify(hash, plain);
    } catch {
      // A malformed or truncated stored hash is a non-match, not a crash of the sign-in.
      return false;
    }
  }

  needsRehash(hash: PasswordHash): boolean {
    if (typeof hash !== "string" || !hash.startsWith(VARIANT_PREFIX)) return true;
    try {
      return argon2.needsRehash(hash, {
        memoryCost: this.parameters.memoryKiB,
        timeCost: this.parameters.timeCost,
        parallelism: this.parameters.parallelism,
        version: ARGON2_VERSION,
      });
    } catch {
      return true;
    }
  }

  async verifyDummy(plain: string): Promise<void> {
    const hash = await this.dummyHash;
    // Over-long input is not hashed; a fixed string still spends the time of one verify.
    const candidate = typeof plain === "string" && this.withinMaximum(plain) ? plain : "";
    await argon2.verify(hash, candidate).catch(() => false);
  }

  private hashOptions() {
    return {
      type: argon2.argon2id,
      memoryCost: this.parameters.memoryKiB,
      timeCost: this.parameters.timeCost,
      parallelism: this.parameters.parallelism,
      hashLength: HASH_LENGTH,
      version: ARGON2_VERSION,
    } as const;
  }

  private withinMaximum(value: string): boolean {
    // Each code point is at most two UTF-16 units: a longer string cannot fit, whatever it holds.
    if (value.length > this.maxLength * 2) return false;
    let count = 0;
    for (const _ of value) {
      if (++count > this.maxLength) return false;
    }
    return true;
  }
}
