import { DEFAULT_PASSWORD_POLICY, Password, type CommonPasswords } from "../../../src/domain/identity/password";
import { Email } from "../../../src/domain/identity/email";

const common: CommonPasswords = { contains: (value) => ["password123", "qwertyuiop"].includes(value) };
const email = Email.restore("annabel@example.com");

function reason(raw: unknown, withEmail = true): string {
  const result = Password.create(raw as string, DEFAULT_PASSWORD_POLICY, common, withEmail ? email : undefined);
  if (result.ok) throw new Error("expected a refusal");
  expect(result.error.code).toBe("WEAK_PASSWORD");
  return result.error.reason;
}

describe("Password", () => {
  it("accepts any long-enough password without composition rules", () => {
    const result = Password.create("just some words", DEFAULT_PASSWORD_POLICY, common, email);
    expect(result.ok && result.value.value).toBe("just some words");
  });

  it("counts length in code points, not UTF-16 units", () => {
    // Seven emoji are 14 UTF-16 units but only 7 characters: too short.
    expect(reason("😀".repeat(7))).toBe("TOO_SHORT");
    expect(Password.create("😀".repeat(8), DEFAULT_PASSWORD_POLICY, common).ok).toBe(true);
  });

  it("refuses too short and too long, never truncating", () => {
    expect(reason("short")).toBe("TOO_SHORT");
    expect(reason("x".repeat(129))).toBe("TOO_LONG");
    expect(Password.create("x".repeat(128), DEFAULT_PASSWORD_POLICY, common).ok).toBe(true);
    expect(reason(undefined)).toBe("TOO_SHORT");
  });

  it("refuses common passwords whatever their case", () => {
    expect(reason("PassWord123")).toBe("COMMON");
  });

  it("refuses the user's own e-mail address or its local part", () => {
    expect(reason("AnnaBel@example.com")).toBe("CONTAINS_EMAIL");
    expect(reason("my annabel@example.com pw")).toBe("CONTAINS_EMAIL");
    expect(reason("Annabel")).toBe("TOO_SHORT");
    // Containing the local part among other words is fine; only the whole address or exactly the local part is refused.
    expect(Password.create("annabel!", DEFAULT_PASSWORD_POLICY, common, email).ok).toBe(true);
    expect(Password.create("AnnaBel@example.com", DEFAULT_PASSWORD_POLICY, common).ok).toBe(true);
  });

  it("refuses a password equal to the local part once it is 4+ characters", () => {
    const short = Email.restore("bo@example.com");
    expect(Password.create("bo", { minLength: 1, maxLength: 128 }, common, short).ok).toBe(true);
    const longer = Email.restore("annabelle@example.com");
    const result = Password.create("annabelle", DEFAULT_PASSWORD_POLICY, common, longer);
    expect(!result.ok && result.error.reason).toBe("CONTAINS_EMAIL");
  });

  it("normalises to NFKC on set and verify alike", () => {
    const decomposed = "cafe\u0301-latte-9";
    const composed = "caf\u00e9-latte-9";
    const created = Password.create(decomposed, DEFAULT_PASSWORD_POLICY, common);
    expect(created.ok && created.value.value).toBe(composed);
    expect(Password.normalise(decomposed)).toBe(composed);
  });

  it("checks only the maximum before hashing at sign-in", () => {
    expect(Password.isWithinMaximum("x".repeat(128), DEFAULT_PASSWORD_POLICY)).toBe(true);
    expect(Password.isWithinMaximum("x".repeat(129), DEFAULT_PASSWORD_POLICY)).toBe(false);
    expect(Password.codePoints("😀😀")).toBe(2);
  });

  it("refuses a password with an unpaired surrogate as MALFORMED: it could not be stored as the text typed", () => {
    expect(reason("valid words \uD800 here")).toBe("MALFORMED");
    expect(reason("\uDC00 long enough words")).toBe("MALFORMED");
  });
});
