/**
 * RFC 8628 §6.1 user codes: 8 characters from 20 consonants (no vowels, so no words; no look-alikes
 * such as 0/O or 1/I), shown as XXXX-XXXX, matched case-insensitively ignoring dashes and spaces.
 * 20^8 ≈ 2^34.6 codes: guessing is limited by the throttles and the short lifetime, not by the space.
 */
export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const USER_CODE_LENGTH = 8;

/** The canonical form (8 upper-case letters of the alphabet) of what a user typed; null when it cannot be a code. */
export function normaliseUserCode(input: unknown): string | null {
  if (typeof input !== "string" || input.length > 32) return null;
  const code = input.replace(/[\s-]/g, "").toUpperCase();
  if (code.length !== USER_CODE_LENGTH) return null;
  for (const char of code) if (!USER_CODE_ALPHABET.includes(char)) return null;
  return code;
}

/** XXXX-XXXX, as shown to the user. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * A code from random bytes given as hex (e.g. a SHA-256 of a fresh secret). Bytes ≥ 240 are skipped so
 * every letter is equally likely (240 = 12 × 20); 32 bytes leave far more than 8 usable ones.
 */
export function userCodeFromRandomHex(hex: string): string {
  let code = "";
  for (let i = 0; i + 1 < hex.length && code.length < USER_CODE_LENGTH; i += 2) {
    const byte = parseInt(hex.slice(i, i + 2), 16);
    if (Number.isNaN(byte) || byte >= 240) continue;
    code += USER_CODE_ALPHABET[byte % USER_CODE_ALPHABET.length];
  }
  if (code.length < USER_CODE_LENGTH) throw new RangeError("not enough random bytes for a user code");
  return code;
}
