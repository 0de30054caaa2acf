import { InvalidEmail } from "../shared/domain-error";
import { fail, ok, type Result } from "../shared/result";

// RFC 5321 limits: 64 octets of local part, 255 of domain, 254 for a usable forward path.
const MAX_LENGTH = 254;
const MAX_LOCAL = 64;
const MAX_LABEL = 63;
// Control characters, format characters (zero-width joiners, BOM, bidi marks) and separators other
// than the plain space never belong in an address and are used to make look-alike accounts.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\s]/u;
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+$/u;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/**
 * A canonical e-mail address: trimmed, NFKC-normalised and lower-cased, so that one mailbox is one
 * account. Lower-casing the local part is a deliberate choice: no mainstream provider treats
 * `Ann@x` and `ann@x` as different people, while users mistype case all the time.
 */
export class Email {
  private constructor(readonly value: string) {}

  static create(raw: string): Result<Email, InvalidEmail> {
    if (typeof raw !== "string") return fail(new InvalidEmail("Enter an e-mail address."));
    const value = raw.trim().normalize("NFKC").toLowerCase();
    if (value.length === 0) return fail(new InvalidEmail("Enter an e-mail address."));
    // Spaces are the common slip (a name typed instead of an address): say so in words a person knows.
    if (/\s/u.test(value)) return fail(new InvalidEmail("Enter an e-mail address like name@example.com, without spaces."));
    if (FORBIDDEN.test(value)) return fail(new InvalidEmail("The e-mail address contains characters that are not allowed."));
    if (value.length > MAX_LENGTH) return fail(new InvalidEmail(`The e-mail address is longer than ${MAX_LENGTH} characters.`));
    const at = value.lastIndexOf("@");
    const local = value.slice(0, at);
    const domain = value.slice(at + 1);
    if (at <= 0 || local.includes("@") || domain.length === 0) {
      return fail(new InvalidEmail("Enter an e-mail address like name@example.com."));
    }
    if (local.length > MAX_LOCAL) return fail(new InvalidEmail(`The part before @ is longer than ${MAX_LOCAL} characters.`));
    const labels = domain.split(".");
    const wellFormed =
      LOCAL.test(local) &&
      !local.startsWith(".") &&
      !local.endsWith(".") &&
      !local.includes("..") &&
      labels.length >= 2 &&
      labels.every((label) => label.length <= MAX_LABEL && LABEL.test(label));
    if (!wellFormed) return fail(new InvalidEmail("Enter an e-mail address like name@example.com."));
    return ok(new Email(value));
  }

  /** For values already canonical (loaded from storage). */
  static restore(value: string): Email {
    return new Email(value);
  }

  equals(other: Email): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }
}
