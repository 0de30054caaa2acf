import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Derives the outbox's own key from the application secret (HKDF-SHA-256), so the session-signing
 * key is never used for encryption and rotating one purpose's key leaves the other alone.
 */
export function deriveOutboxKey(secret: string | Buffer): Buffer {
  const material = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  if (material.length < KEY_BYTES) throw new RangeError("the outbox key is derived from a secret of at least 32 bytes");
  return Buffer.from(hkdfSync("sha256", material, Buffer.alloc(0), "nextauth-hex outbox params v1", KEY_BYTES));
}

/**
 * AES-256-GCM for mail parameters (which carry one-time tokens) while they wait in the outbox.
 * Layout: IV (12) ‖ tag (16) ‖ ciphertext. The row id is authenticated data, so a sealed value
 * copied into another row does not open there.
 */
export class OutboxCipher {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new RangeError("the outbox key must be a 32-byte Buffer (see deriveOutboxKey)");
    }
    this.key = Buffer.from(key);
  }

  seal(plaintext: string, rowId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(rowId, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** Throws when the value was sealed with another key or for another row, or was altered. */
  open(sealed: Buffer, rowId: string): string {
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error("sealed outbox params are truncated");
    const decipher = createDecipheriv("aes-256-gcm", this.key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(rowId, "utf8"));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  }
}
