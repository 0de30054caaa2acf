import { CONFUSABLES_VERSION } from "../../../src/domain/identity/confusables-data";
import { Email } from "../../../src/domain/identity/email";
import { emailSkeleton } from "../../../src/domain/identity/email-skeleton";

const email = (raw: string): Email => {
  const parsed = Email.create(raw);
  if (!parsed.ok) throw new Error(`${raw}: ${parsed.error.message}`);
  return parsed.value;
};

describe("emailSkeleton", () => {
  it.each([
    ["Cyrillic а, р, р, ӏ, е", "\u0430\u0440\u0440\u04cf\u0435@example.com", "apple@example.com"],
    ["Cyrillic ѕ, с, о, р, е", "\u0455\u0441\u043e\u0440\u0435@example.com", "scope@example.com"],
    ["Cyrillic х, е, с, а", "\u0445\u0435\u0441\u0430@example.com", "xeca@example.com"],
    ["Greek α, ν, α", "\u03b1\u03bd\u03b1@example.com", "ava@example.com"],
    ["Greek ο, ρ, ο", "\u03bf\u03c1\u03bf@example.com", "opo@example.com"],
    ["a Cyrillic domain label", "ann@\u0441\u0430\u0440.com", "ann@cap.com"],
    ["an upper-case Cyrillic spelling", "\u0410\u0420\u0420\u04c0\u0415@EXAMPLE.com", "apple@example.com"],
  ])("gives a whole-script look-alike (%s) the skeleton of the Latin address", (_label, lookAlike, latin) => {
    expect(email(lookAlike).value).not.toBe(email(latin).value);
    expect(email(lookAlike).skeleton).toBe(email(latin).skeleton);
    expect(email(lookAlike).looksLike(email(latin))).toBe(true);
  });

  it("leaves an all-ASCII address as it is, so two different ASCII addresses never collide", () => {
    // The full UTS #39 skeleton maps "m" to "rn", "1" to "l" and "0" to "O": these would be one address.
    for (const [a, b] of [["modem@x.com", "modern@x.com"], ["j0hn@x.com", "john@x.com"], ["al1ce@x.com", "alice@x.com"], ["ann@x.com", "anm@x.com"]]) {
      expect(email(a).skeleton).toBe(a);
      expect(email(b).skeleton).toBe(b);
      expect(email(a).looksLike(email(b))).toBe(false);
    }
  });

  it("maps a look-alike to the ASCII character it imitates, not to a prototype no address has", () => {
    // The prototype of "m" is "rn"; a non-ASCII letter that looks like "m" meets "m".
    expect(emailSkeleton("\u{11700}")).toBe("m");
    expect(emailSkeleton("\u04cf")).toBe("l");
  });

  it("keeps letters with accents and letters of no Latin look apart from plain Latin ones", () => {
    expect(email("josé@x.com").looksLike(email("jose@x.com"))).toBe(false);
    expect(email("\u0436\u0443\u043a@x.com").skeleton).toBe("\u0436yĸ@x.com");
    expect(email("\u0436\u0443\u043a@x.com").looksLike(email("zhuk@x.com"))).toBe(false);
    expect(email("m\u00fcller@x.com").looksLike(email("muller@x.com"))).toBe(false);
  });

  it("is the same for every spelling of one canonical address", () => {
    expect(email(" Ann@Example.com ").skeleton).toBe(email("ann@example.com").skeleton);
    expect(email("jos\u0065\u0301@x.com").skeleton).toBe(email("jos\u00e9@x.com").skeleton);
  });

  it("comes from Unicode's confusables data of a stated version", () => {
    expect(CONFUSABLES_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
