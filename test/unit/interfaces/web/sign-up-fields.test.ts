import { EmailTaken, InvalidEmail, RateLimited, WeakPassword } from "../../../../src/domain/shared/domain-error";
import { DEFAULT_PASSWORD_POLICY, Password } from "../../../../src/domain/identity/password";
import { signUpFields } from "../../../../src/interfaces/web/shared/action-results";

const badAddress = new InvalidEmail("Enter an e-mail address like name@example.com, without spaces.");
const noCommonPasswords = { contains: () => false };

/** What the policy says about a password on its own, as the sign-up form asks it. */
function verdict(password: string): WeakPassword | null {
  const checked = Password.create(password, DEFAULT_PASSWORD_POLICY, noCommonPasswords);
  return checked.ok ? null : checked.error;
}

describe("sign-up form: which fields say what after a refusal", () => {
  it("a bad address and a short password: both fields get their reason in one answer", () => {
    expect(signUpFields(badAddress, verdict("short"))).toEqual({
      email: "Enter an e-mail address like name@example.com, without spaces.",
      password: "Use at least 8 characters.",
    });
  });

  it("a bad address and a good password: only the address is marked", () => {
    expect(signUpFields(badAddress, verdict("lantern orchard quietly"))).toEqual({ email: badAddress.message });
  });

  it("a weak password on its own is marked on the password field", () => {
    const weak = new WeakPassword("COMMON", "This password is too common and easy to guess. Choose another one.");
    expect(signUpFields(weak, null)).toEqual({ password: weak.message });
  });

  it("refusals about the whole form mark no field, whatever the password is", () => {
    expect(signUpFields(new EmailTaken(), verdict("short"))).toBeUndefined();
    expect(signUpFields(new RateLimited(30), verdict("short"))).toBeUndefined();
  });
});
