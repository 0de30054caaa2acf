import { safeNextPath, signInUrlFor } from "../../../../src/interfaces/web/shared/safe-next-path";

describe("where sign-in leads afterwards (?next=)", () => {
  it.each([
    ["/dashboard/settings", "/dashboard/settings"],
    ["/dashboard/api-keys?tab=new#create", "/dashboard/api-keys?tab=new#create"],
    ["/verify-email", "/verify-email"],
    ["/dashboard/./settings", "/dashboard/settings"],
  ])("keeps the same-site path %s", (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  it.each([
    ["protocol-relative", "//evil.example"],
    ["backslash", "/\\evil.example"],
    ["backslash first", "\\\\evil.example"],
    ["absolute https", "https://evil.example/dashboard"],
    ["javascript", "javascript:alert(1)"],
    ["encoded slashes", "%2F%2Fevil.example"],
    ["encoded backslash", "/%5Cevil.example"],
    ["double encoded", "%252F%252Fevil.example"],
    ["tab trick", "/\t/evil.example"],
    ["newline trick", "/\n/evil.example"],
    ["relative", "dashboard"],
    ["empty", ""],
    ["back to sign-in", "/sign-in"],
    ["back to sign-up", "/sign-up?next=/dashboard"],
    ["malformed encoding", "/%E0%A4%A"],
    ["too long", "/" + "a".repeat(3000)],
  ])("refuses %s and goes to the dashboard", (_label, raw) => {
    expect(safeNextPath(raw)).toBe("/dashboard");
  });

  it("refuses anything that is not a string", () => {
    expect(safeNextPath(undefined)).toBe("/dashboard");
    expect(safeNextPath(["/dashboard/settings"])).toBe("/dashboard");
  });

  it("builds the sign-in URL that comes back to the page", () => {
    expect(signInUrlFor("/dashboard/settings")).toBe("/sign-in?next=%2Fdashboard%2Fsettings");
    expect(signInUrlFor("/dashboard")).toBe("/sign-in?next=%2Fdashboard");
    expect(signInUrlFor("//evil.example")).toBe("/sign-in");
  });
});
