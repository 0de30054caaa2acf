/**
 * NEVER FOR PRODUCTION. A salted single SHA-256 is cheap to brute-force; this hasher exists only so
 * unit tests run in milliseconds. Production uses the argon2id hasher with pinned parameters.
 *
 * Encoded as `fast$v=<version>$<salt>$<digest>`: a hash made with another `version` reports
 * `needsRehash`, which lets tests exercise the upgrade at sign-in without argon2.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { PasswordHasher } from "../../application/shared/ports/password-hasher.port";
import type { Password, PasswordHash } from "../../domain/identity/password";

export class FastPasswordHasher implements PasswordHasher {
  /** How often `verifyDummy` ran: lets tests prove the unknown-account path spent a verify. */
  dummyVerifications = 0;
  private readonly dummyHash: PasswordHash;

  constructor(readonly version = 2) {
    this.dummyHash = this.encode("dummy-password-that-matches-nothing", "0000000000000000");
  }

  async hash(password: Password): Promise<PasswordHash> {
    return this.encode(password.value, randomBytes(8).toString("hex"));
  }

  /** Hashes a raw string with this hasher's version, e.g. to seed a legacy hash in a test. */
  hashRaw(plain: string): PasswordHash {
    return this.encode(plain.normalize("NFKC"), randomBytes(8).toString("hex"));
  }

  async verify(hash: PasswordHash, plain: string): Promise<boolean> {
    const parts = hash.split("$");
    if (parts.length !== 4 || parts[0] !== "fast") return false;
    const expected = Buffer.from(parts[3]!, "hex");
    const actual = digest(parts[2]!, plain);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  needsRehash(hash: PasswordHash): boolean {
    return !hash.startsWith(`fast$v=${this.version}$`);
  }

  async verifyDummy(plain: string): Promise<void> {
    this.dummyVerifications++;
    await this.verify(this.dummyHash, plain);
  }

  private encode(plain: string, salt: string): PasswordHash {
    return `fast$v=${this.version}$${salt}$${digest(salt, plain).toString("hex")}` as PasswordHash;
  }
}

function digest(salt: string, plain: string): Buffer {
  return createHash("sha256").update(salt).update("\0").update(plain, "utf8").digest();
}
