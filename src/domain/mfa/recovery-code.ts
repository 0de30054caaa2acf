/**
 * One of a user's single-use recovery codes. Only a password hash of the code is stored, with the
 * first characters in clear as a lookup key (so a sign-in verifies one hash, not ten): the rest of the
 * code still carries 60 random bits.
 */
import type { PasswordHash } from "../identity/password";

export interface RecoveryCodeSnapshot {
  readonly id: string;
  readonly userId: string;
  /** The first LOOKUP_LENGTH characters of the normalised code. */
  readonly lookup: string;
  /** argon2id (PasswordHasher) of the normalised code. */
  readonly codeHash: PasswordHash;
  readonly createdAt: Date;
  readonly usedAt: Date | null;
}

/** Crockford's base32 alphabet: no I, L, O or U to misread. 5 bits a character. */
export const RECOVERY_CODE_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
/** 16 characters: 80 random bits, of which 60 are never stored in clear. */
export const RECOVERY_CODE_LENGTH = 16;
export const RECOVERY_CODE_LOOKUP_LENGTH = 4;
/** How many codes a set holds. */
export const RECOVERY_CODES_PER_SET = 10;

export class RecoveryCode {
  private constructor(private readonly state: RecoveryCodeSnapshot) {}

  static create(props: { id: string; userId: string; code: string; codeHash: PasswordHash }, now: Date): RecoveryCode {
    return new RecoveryCode({
      id: props.id,
      userId: props.userId,
      lookup: recoveryCodeLookup(props.code),
      codeHash: props.codeHash,
      createdAt: now,
      usedAt: null,
    });
  }

  static restore(snapshot: RecoveryCodeSnapshot): RecoveryCode {
    return new RecoveryCode({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get userId(): string {
    return this.state.userId;
  }
  get lookup(): string {
    return this.state.lookup;
  }
  get codeHash(): PasswordHash {
    return this.state.codeHash;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get usedAt(): Date | null {
    return this.state.usedAt;
  }

  toSnapshot(): RecoveryCodeSnapshot {
    return { ...this.state };
  }
}

/**
 * A code as typed, normalised: case, spaces and dashes ignored, and the letters Crockford's alphabet
 * leaves out read as the digits they look like. Null when it cannot be a recovery code.
 */
export function normaliseRecoveryCode(raw: unknown): string | null {
  if (typeof raw !== "string" || raw.length > 64) return null;
  const code = raw
    .toLowerCase()
    .replace(/[\s-]/g, "")
    .replace(/o/g, "0")
    .replace(/[il]/g, "1");
  if (code.length !== RECOVERY_CODE_LENGTH) return null;
  for (const char of code) if (!RECOVERY_CODE_ALPHABET.includes(char)) return null;
  return code;
}

export function recoveryCodeLookup(normalised: string): string {
  return normalised.slice(0, RECOVERY_CODE_LOOKUP_LENGTH);
}

/** As shown to the user: `abcd-efgh-jkmn-pqrs`. */
export function formatRecoveryCode(normalised: string): string {
  return normalised.match(/.{1,4}/g)!.join("-");
}
