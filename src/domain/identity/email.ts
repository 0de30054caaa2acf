import { InvalidEmail } from "../shared/domain-error";
import { fail, ok, type Result } from "../shared/result";
import { emailSkeleton } from "./email-skeleton";

// RFC 5321 limits: 64 octets of local part, 255 of domain, 254 for a usable forward path.
const MAX_LENGTH = 254;
const MAX_LOCAL = 64;
const MAX_LABEL = 63;
// Control characters, format characters (zero-width joiners, BOM, bidi marks) and separators other
// than the plain space never belong in an address and are used to make look-alike accounts.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\s]/u;
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+$/u;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

// The scripts a letter can belong to, for the mixed-script rule below. A letter of none of these
// counts as a script of its own, so it never mixes with any of them either.
const SCRIPTS: ReadonlyArray<readonly [string, RegExp]> = [
  "Latin", "Cyrillic", "Greek", "Armenian", "Georgian", "Hebrew", "Arabic", "Syriac", "Thaana", "Devanagari", "Bengali",
  "Gurmukhi", "Gujarati", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala", "Thai", "Lao", "Tibetan", "Myanmar",
  "Ethiopic", "Cherokee", "Khmer", "Mongolian", "Han", "Hiragana", "Katakana", "Bopomofo", "Hangul", "Coptic", "Glagolitic",
].map((name) => [name, new RegExp(`^\\p{Script=${name}}$`, "u")] as const);
// UTS #39 "Highly Restrictive": one script per label, or Latin with the scripts Chinese, Japanese
// and Korean are written in together.
const ALLOWED_MIXES: ReadonlyArray<ReadonlySet<string>> = [
  new Set(["Latin", "Han", "Hiragana", "Katakana"]),
  new Set(["Latin", "Han", "Bopomofo"]),
  new Set(["Latin", "Han", "Hangul"]),
];

function scriptOf(letter: string): string {
  for (const [name, pattern] of SCRIPTS) if (pattern.test(letter)) return name;
  return `U+${letter.codePointAt(0)!.toString(16)}`;
}

/**
 * Whether a label mixes letters of scripts that are not written together, e.g. a Cyrillic "а" among
 * Latin letters ("pаypal"): the classic way to register an address that looks like someone else's.
 * Digits and punctuation belong to every script.
 */
export function mixesScripts(label: string): boolean {
  const scripts = new Set<string>();
  for (const letter of label.match(/\p{L}|\p{M}/gu) ?? []) {
    if (/\p{M}/u.test(letter)) continue; // a combining mark takes the script of its base letter
    scripts.add(scriptOf(letter));
  }
  if (scripts.size <= 1) return false;
  return !ALLOWED_MIXES.some((allowed) => [...scripts].every((script) => allowed.has(script)));
}

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
    if ([local, ...labels].some(mixesScripts)) {
      return fail(new InvalidEmail("The e-mail address mixes letters of different alphabets in one part; type it in one alphabet."));
    }
    return ok(new Email(value));
  }

  /** For values already canonical (loaded from storage). */
  static restore(value: string): Email {
    return new Email(value);
  }

  /** What the address looks like (see `emailSkeleton`): one skeleton, one account. */
  get skeleton(): string {
    return emailSkeleton(this.value);
  }

  /** Whether the two look the same to a reader: equal, or one a whole-script look-alike of the other. */
  looksLike(other: Email): boolean {
    return this.skeleton === other.skeleton;
  }

  equals(other: Email): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }
}
