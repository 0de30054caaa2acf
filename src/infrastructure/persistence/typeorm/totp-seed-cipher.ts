import { hkdfSync } from "node:crypto";
import { OutboxCipher } from "./outbox-cipher";

const KEY_BYTES = 32;

/**
 * Derives the key that seals TOTP seeds from an application secret (HKDF-SHA-256 with its own label),
 * so the session-signing key is never used for encryption and each purpose has its own key.
 */
export function deriveTotpSeedKey(secret: string): Buffer {
  const material = Buffer.from(secret, "utf8");
  if (material.length < KEY_BYTES) throw new RangeError("the TOTP seed key is derived from a secret of at least 32 bytes");
  return Buffer.from(hkdfSync("sha256", material, Buffer.alloc(0), "nextauth-hex totp seed v1", KEY_BYTES));
}

/**
 * AES-256-GCM for TOTP seeds at rest, bound to the user id (authenticated data), so a sealed seed
 * copied to another user's row does not open. Seeds outlive a rotation of AUTH_JWT_SECRET: they open
 * with the current key or any previous one, and `opened.stale` says when to seal them again.
 */
export class TotpSeedCipher {
  private readonly ciphers: OutboxCipher[];

  /** `secrets[0]` is the current application secret, the rest previous ones still accepted. */
  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new RangeError("TotpSeedCipher needs the current secret");
    this.ciphers = secrets.map((secret) => new OutboxCipher(deriveTotpSeedKey(secret)));
  }

  seal(seed: string, userId: string): Buffer {
    return this.ciphers[0]!.seal(seed, userId);
  }

  /** Throws when no known key opens it (a lost secret, or an altered row). */
  open(sealed: Buffer, userId: string): { seed: string; stale: boolean } {
    for (let i = 0; i < this.ciphers.length; i++) {
      try {
        return { seed: this.ciphers[i]!.open(sealed, userId), stale: i > 0 };
      } catch {
        // try the next key
      }
    }
    throw new Error("a TOTP seed opens with none of the configured secrets (AUTH_JWT_SECRET, AUTH_JWT_SECRET_PREVIOUS)");
  }
}
