import { Passkey } from "../../../src/domain/passkey/passkey";
import { MailTemplates } from "../../../src/infrastructure/mail/mail-templates";
import { relyingPartyOf } from "../../../src/infrastructure/webauthn/simple-webauthn-ceremonies";

describe("Passkey rules", () => {
  it.each([
    [0, 0, true],
    [0, 1, true],
    [5, 6, true],
    [5, 5, false],
    [5, 4, false],
    [5, 0, false],
  ])("a stored counter of %i and a presented %i: accepted %s", (stored, presented, accepted) => {
    expect(Passkey.acceptsCounter(stored, presented)).toBe(accepted);
  });

  it("takes the relying party from APP_URL: its origin, and its host name as RP ID", () => {
    expect(relyingPartyOf("https://app.example.com:8443/some/path")).toMatchObject({ origin: "https://app.example.com:8443", rpId: "app.example.com" });
    expect(relyingPartyOf("http://localhost:3000")).toMatchObject({ origin: "http://localhost:3000", rpId: "localhost" });
  });

  it("mails a notice for a new and a removed passkey, naming it, escaped in HTML", () => {
    const templates = new MailTemplates({ appUrl: "https://app.example.com" });
    const added = templates.render({ to: "a@b.co", template: "passkey-added", params: { name: "<b>Laptop</b>" } });
    expect(added.subject).toBe("A passkey was added to your account");
    expect(added.text).toContain('"<b>Laptop</b>" was just added');
    expect(added.text).toContain("https://app.example.com/dashboard/security");
    expect(added.html).not.toContain("<b>Laptop</b>");
    const removed = templates.render({ to: "a@b.co", template: "passkey-removed", params: { name: "Phone" } });
    expect(removed.subject).toBe("A passkey was removed from your account");
  });
});
