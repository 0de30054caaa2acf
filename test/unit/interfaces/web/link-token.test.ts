import { linkPurposeOf, linkTokenCookieAttributes, linkTokenCookieName, wellFormedLinkToken } from "../../../../src/interfaces/web/shared/link-token";

describe("the e-mailed link's token, moved out of the URL", () => {
  it("applies to the three link pages only", () => {
    expect(linkPurposeOf("/verify-email")).toBe("verify-email");
    expect(linkPurposeOf("/reset-password")).toBe("reset-password");
    expect(linkPurposeOf("/invite")).toBe("invite");
    expect(linkPurposeOf("/invite/x")).toBeNull();
    expect(linkPurposeOf("/verify-email/x")).toBeNull();
    expect(linkPurposeOf("/sign-in")).toBeNull();
  });

  it("is kept only on the page that needs it, hidden from scripts, briefly", () => {
    const attributes = linkTokenCookieAttributes("reset-password", "https://app.example.com");
    expect(attributes).toMatchObject({ httpOnly: true, secure: true, sameSite: "lax", path: "/reset-password" });
    expect(attributes.maxAge).toBeLessThanOrEqual(3600);
    expect(linkTokenCookieName("reset-password", "https://app.example.com")).toBe("__Secure-reset-password-token");
    expect(linkTokenCookieName("verify-email", "http://localhost:3000")).toBe("verify-email-token");
  });

  it("keeps an invitation for a day, across sign-up and verification, so a newcomer comes back to it", () => {
    const attributes = linkTokenCookieAttributes("invite", "https://app.example.com");
    expect(attributes).toMatchObject({ httpOnly: true, secure: true, sameSite: "lax", path: "/", maxAge: 24 * 3600 });
  });

  it("carries only token-shaped values", () => {
    expect(wellFormedLinkToken("oPVsRXRTc9JDbhRq9Z9J_iGb2NVT6317r4A-jxD6dSc")).toBe("oPVsRXRTc9JDbhRq9Z9J_iGb2NVT6317r4A-jxD6dSc");
    expect(wellFormedLinkToken("short")).toBeNull();
    expect(wellFormedLinkToken("abc; Path=/; Domain=evil.example")).toBeNull();
    expect(wellFormedLinkToken("a".repeat(600))).toBeNull();
    expect(wellFormedLinkToken(null)).toBeNull();
  });
});
