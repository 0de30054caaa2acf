import { WeakPassword } from "../shared/domain-error";
import { fail, ok, type Result } from "../shared/result";
import type { Email } from "./email";

export interface PasswordPolicy {
  /** Minimum length in Unicode code points (NIST SP 800-63B-4 asks 15 for password-only sign-in; 8 is the floor). */
  readonly minLength: number;
  /** Maximum length in code points; longer input is refused, never truncated. */
  readonly maxLength: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 8, maxLength: 128 };

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Answers whether a (normalised) password is among the commonly used ones. */
export interface CommonPasswords {
  contains(normalisedPassword: string): boolean;
}

/**
 * A password that satisfies the policy. The one normalisation is NFKC, applied identically when a
 * password is set and when it is verified (see `Password.normalise`), so the same keystrokes from
 * another keyboard or OS still match. No composition rules, as NIST asks.
 */
export class Password {
  private constructor(readonly value: string) {}

  static normalise(raw: string): string {
    return raw.normalize("NFKC");
  }

  static codePoints(raw: string): number {
    let n = 0;
    for (const _ of raw) n++;
    return n;
  }

  /**
   * Whether the text is well-formed Unicode. An unpaired surrogate (valid in JSON, invalid in UTF-8)
   * reaches the hasher as U+FFFD, so different inputs would verify as one password: never set, never verified.
   */
  static isWellFormed(raw: string): boolean {
    return typeof raw === "string" && !UNPAIRED_SURROGATE.test(raw);
  }

  /** Only the length bounds: what sign-in and re-authentication check before hashing. */
  static isWithinMaximum(raw: string, policy: PasswordPolicy): boolean {
    return Password.codePoints(Password.normalise(raw)) <= policy.maxLength;
  }

  static create(
    raw: string,
    policy: PasswordPolicy,
    common: CommonPasswords,
    email?: Email,
  ): Result<Password, WeakPassword> {
    const value = Password.normalise(typeof raw === "string" ? raw : "");
    if (!Password.isWellFormed(value)) {
      return fail(new WeakPassword("MALFORMED", "The password contains characters that are not valid text."));
    }
    const length = Password.codePoints(value);
    if (length < policy.minLength) {
      return fail(new WeakPassword("TOO_SHORT", `Use at least ${policy.minLength} characters.`));
    }
    if (length > policy.maxLength) {
      return fail(new WeakPassword("TOO_LONG", `Use at most ${policy.maxLength} characters.`));
    }
    const folded = value.toLowerCase();
    if (common.contains(folded)) {
      return fail(new WeakPassword("COMMON", "This password is too common and easy to guess. Choose another one."));
    }
    if (email) {
      const address = email.value;
      const local = address.slice(0, address.lastIndexOf("@"));
      if (folded.includes(address) || (local.length >= 4 && folded === local)) {
        return fail(new WeakPassword("CONTAINS_EMAIL", "Do not use your e-mail address as your password."));
      }
    }
    return ok(new Password(value));
  }
}

/** An opaque encoded hash (e.g. argon2id PHC string); only the PasswordHasher port reads it. */
export type PasswordHash = string & { readonly __brand: "PasswordHash" };
