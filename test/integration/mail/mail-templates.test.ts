import { MailRenderError, MailTemplates } from "../../../src/infrastructure/mail/mail-templates";
import type { OutgoingMail } from "../../../src/application/shared/ports/outbox.port";

const templates = new MailTemplates({ appUrl: "https://app.example.com" });
const TOKEN = "tok_AbC-123_xyz";

function linksIn(text: string): string[] {
  return text.match(/https?:\/\/[^\s<>"']+/g) ?? [];
}

describe("MailTemplates", () => {
  it("verification mail: a link to APP_URL/verify-email carrying the token, in text and HTML", () => {
    const mail = templates.render({ to: "ann@example.com", template: "verify-email", params: { token: TOKEN } });
    const link = `https://app.example.com/verify-email?token=${TOKEN}`;
    expect(mail.to).toBe("ann@example.com");
    expect(mail.subject).toMatch(/confirm your e-mail/i);
    expect(mail.link).toBe(link);
    expect(linksIn(mail.text)).toEqual([link]);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.text).toMatch(/24 hours/);
  });

  it("team invitation: the team, who invited, a link to APP_URL/invite with the token, and when it expires", () => {
    const mail = templates.render({
      to: "bob@example.com",
      template: "team-invitation",
      params: { token: TOKEN, teamName: "<Rockets & Co>", invitedBy: "olive@example.com", expiresAt: "2030-01-04T00:00:00.000Z" },
    });
    const link = `https://app.example.com/invite?token=${TOKEN}`;
    expect(mail.subject).toBe("Join <Rockets & Co>");
    expect(mail.link).toBe(link);
    expect(linksIn(mail.text)).toEqual([link]);
    expect(mail.text).toContain("olive@example.com invited you to join the team <Rockets & Co>");
    expect(mail.text).toContain("Fri, 04 Jan 2030 00:00:00 GMT");
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain("&lt;Rockets &amp; Co&gt;");
    expect(mail.html).not.toContain("<Rockets");
  });

  it("reset mail: a link to APP_URL/reset-password carrying the token, and its lifetime", () => {
    const mail = templates.render({ to: "ann@example.com", template: "password-reset", params: { token: TOKEN } });
    const link = `https://app.example.com/reset-password?token=${TOKEN}`;
    expect(mail.subject).toMatch(/reset your password/i);
    expect(linksIn(mail.text)).toEqual([link]);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.text).toMatch(/30 minutes/);
    expect(mail.text).toMatch(/did not ask/i);
  });

  it("password-changed notice: no token, a way back to reset if it was not the owner", () => {
    const mail = templates.render({ to: "ann@example.com", template: "password-changed", params: {} });
    expect(mail.subject).toMatch(/password was changed/i);
    expect(mail.link).toBeUndefined();
    expect(linksIn(mail.text)).toEqual(["https://app.example.com/forgot-password"]);
    expect(mail.text).not.toContain("token");
  });

  it("states the configured lifetimes", () => {
    const custom = new MailTemplates({ appUrl: "https://app.example.com", verifyTokenTtlSeconds: 2 * 86400, resetTokenTtlSeconds: 3600 });
    expect(custom.render({ to: "a@b.co", template: "verify-email", params: { token: TOKEN } }).text).toMatch(/2 days/);
    expect(custom.render({ to: "a@b.co", template: "password-reset", params: { token: TOKEN } }).text).toMatch(/1 hour\b/);
  });

  it("builds links from APP_URL only, with or without a trailing slash or a base path", () => {
    const slash = new MailTemplates({ appUrl: "https://app.example.com/" });
    expect(slash.render({ to: "a@b.co", template: "verify-email", params: { token: "t" } }).link).toBe(
      "https://app.example.com/verify-email?token=t",
    );
    const based = new MailTemplates({ appUrl: "https://example.com/auth" });
    expect(based.render({ to: "a@b.co", template: "password-reset", params: { token: "t" } }).link).toBe(
      "https://example.com/auth/reset-password?token=t",
    );
    expect(() => new MailTemplates({ appUrl: "app.example.com" })).toThrow(MailRenderError);
    expect(() => new MailTemplates({ appUrl: "javascript:alert(1)" })).toThrow(MailRenderError);
  });

  it("encodes the token in the URL and escapes everything in the HTML", () => {
    const nasty = `a&b"<script>alert(1)</script>'`;
    const mail = templates.render({ to: "ann@example.com", template: "verify-email", params: { token: nasty } });
    expect(mail.link).toBe(`https://app.example.com/verify-email?token=${encodeURIComponent(nasty)}`);
    expect(new URL(mail.link!).searchParams.get("token")).toBe(nasty);
    expect(mail.html).not.toMatch(/<script/i);
    expect(mail.html).not.toContain(nasty);

    const named = new MailTemplates({ appUrl: "https://app.example.com", productName: `<img src=x onerror="x">` });
    const html = named.render({ to: "a@b.co", template: "password-changed", params: {} }).html;
    expect(html).toContain("&lt;img src=x onerror=&quot;x&quot;&gt;");
    expect(html).not.toContain("<img");
  });

  it("refuses a mail it cannot render, as a permanent error", () => {
    expect(() => templates.render({ to: "a@b.co", template: "verify-email", params: {} })).toThrow(MailRenderError);
    expect(() => templates.render({ to: "a@b.co", template: "password-reset", params: { token: "" } })).toThrow(MailRenderError);
    expect(() => templates.render({ to: "a@b.co", template: "newsletter", params: {} } as unknown as OutgoingMail)).toThrow(
      MailRenderError,
    );
  });
});
