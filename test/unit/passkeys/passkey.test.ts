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

describe("A passkey's name and counter", () => {
  const base = { id: "p1", userId: "u1", credentialId: "cred", publicKey: new Uint8Array([1, 2, 3]), counter: 5, transports: ["usb"] };
  const now = new Date("2026-01-01T00:00:00Z");

  it("keeps a trimmed name, and refuses a blank or an over-long one with VALIDATION_FAILED on the name field", () => {
    const created = Passkey.create({ ...base, name: "  Laptop  " }, now);
    expect(created.ok && created.value.toSnapshot()).toMatchObject({ name: "Laptop", createdAt: now, lastUsedAt: null, counter: 5 });
    for (const name of ["   ", "x".repeat(101), undefined as unknown as string]) {
      const refused = Passkey.create({ ...base, name }, now);
      expect(!refused.ok && refused.error.code).toBe("VALIDATION_FAILED");
      expect(!refused.ok && refused.error.fields).toHaveProperty("name");
    }
    expect(Passkey.create({ ...base, name: "x".repeat(100) }, now).ok).toBe(true);
  });

  it("refuses an assertion whose counter went backwards as PASSKEY_REFUSED (a possible clone)", () => {
    const passkey = Passkey.restore({ ...base, name: "Laptop", createdAt: now, lastUsedAt: null });
    expect(passkey.checkCounter(6).ok).toBe(true);
    const refused = passkey.checkCounter(5);
    expect(!refused.ok && refused.error).toMatchObject({ code: "PASSKEY_REFUSED", reason: "counter" });
  });
});
