import { Email } from "../../../src/domain/identity/email";

function canonical(raw: string): string {
  const email = Email.create(raw);
  if (!email.ok) throw new Error(`expected ${raw} to be accepted: ${email.error.message}`);
  return email.value.value;
}

function refusal(raw: unknown): string {
  const email = Email.create(raw as string);
  if (email.ok) throw new Error(`expected ${String(raw)} to be refused`);
  expect(email.error.code).toBe("INVALID_EMAIL");
  return email.error.message;
}

describe("Email", () => {
  it("trims, NFKC-normalises and lower-cases so one mailbox is one account", () => {
    expect(canonical("  Ann.Smith@Example.COM ")).toBe("ann.smith@example.com");
    // Full-width letters typed on an East Asian keyboard fold to the ASCII address.
    expect(canonical("ａｎｎ@example.com")).toBe("ann@example.com");
  });

  it("accepts international addresses and plus tags", () => {
    expect(canonical("josé+news@münchen.de")).toBe("josé+news@münchen.de");
  });

  it.each([
    ["", "Enter an e-mail address."],
    ["   ", "Enter an e-mail address."],
    ["no-at-sign", "like name@example.com"],
    ["@example.com", "like name@example.com"],
    ["ann@", "like name@example.com"],
    ["ann@localhost", "like name@example.com"],
    [".ann@example.com", "like name@example.com"],
    ["ann.@example.com", "like name@example.com"],
    ["an..n@example.com", "like name@example.com"],
    ["ann@-example.com", "like name@example.com"],
    ["ann@exa_mple.com", "like name@example.com"],
    ["a@b@example.com", "like name@example.com"],
  ])("refuses %j", (raw, message) => {
    expect(refusal(raw)).toContain(message);
  });

  it("refuses invisible and control characters used to make look-alike accounts", () => {
    expect(refusal("ann\u200b@example.com")).toContain("not allowed");
    expect(refusal("ann\u0000@example.com")).toContain("not allowed");
    expect(refusal("an n@example.com")).toContain("without spaces");
  });

  it("refuses a part that mixes alphabets, the way look-alike addresses are made (UTS #39, highly restrictive)", () => {
    // A Cyrillic "а" (U+0430) among Latin letters, in the local part or in a domain label.
    expect(refusal("p\u0430ypal@example.com")).toContain("alphabets");
    expect(refusal("ann@ex\u0430mple.com")).toContain("alphabets");
    // A Greek omicron among Latin letters.
    expect(refusal("b\u03bfb@example.com")).toContain("alphabets");
    // One alphabet per part is fine, whichever it is, and Latin may join Chinese, Japanese or Korean.
    expect(canonical("иван@пример.рф")).toBe("иван@пример.рф");
    expect(canonical("иван@example.com")).toBe("иван@example.com");
    expect(canonical("山田taro@example.jp")).toBe("山田taro@example.jp");
    expect(canonical("たろう.yamada@example.jp")).toBe("たろう.yamada@example.jp");
    expect(canonical("josé.müller@example.de")).toBe("josé.müller@example.de");
  });

  it("refuses addresses beyond the SMTP limits", () => {
    expect(refusal(`${"a".repeat(65)}@example.com`)).toContain("64");
    expect(refusal(`ann@${"a".repeat(250)}.com`)).toContain("254");
    expect(refusal(`ann@${"a".repeat(64)}.com`)).toContain("like name@example.com");
  });

  it("refuses a value that is not a string", () => {
    expect(refusal(42)).toBe("Enter an e-mail address.");
  });

  it("restores stored values as they are and compares by value", () => {
    const stored = Email.restore("ann@example.com");
    expect(stored.equals(Email.restore("ann@example.com"))).toBe(true);
    expect(stored.equals(Email.restore("bob@example.com"))).toBe(false);
    expect(String(stored)).toBe("ann@example.com");
  });
});
