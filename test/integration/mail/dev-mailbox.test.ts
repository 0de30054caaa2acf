import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import { DevMailbox } from "../../../src/infrastructure/mail/dev-mailbox";
import type { RenderedMail } from "../../../src/infrastructure/mail/mailer";

const mail = (to: string, subject = "Confirm your e-mail address", link?: string): RenderedMail => ({
  to,
  subject,
  text: `text for ${to}`,
  html: `<p>html for ${to}</p>`,
  ...(link ? { link } : {}),
});

describe("DevMailbox", () => {
  let root: string;
  let dir: string;
  let clock: ControllableClock;
  let lines: string[];
  let mailbox: DevMailbox;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "mailbox-"));
    dir = join(root, "nested", "mailbox");
    clock = new ControllableClock("2030-01-01T00:00:00Z");
    lines = [];
    mailbox = new DevMailbox({ dir, clock, log: (line) => lines.push(line) });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("keeps each mail as a private JSON file in its folder, created on first use", async () => {
    await mailbox.send(mail("ann@example.com", "Confirm", "http://localhost:3000/verify-email?token=abc"));
    const files = (await readdir(dir)).filter((f) => f.endsWith(".json"));
    expect(files).toHaveLength(1);
    const stored = JSON.parse(await readFile(join(dir, files[0]), "utf8"));
    expect(stored).toMatchObject({
      to: "ann@example.com",
      subject: "Confirm",
      text: "text for ann@example.com",
      html: "<p>html for ann@example.com</p>",
      link: "http://localhost:3000/verify-email?token=abc",
      sentAt: "2030-01-01T00:00:00.000Z",
    });
    expect((await stat(join(dir, files[0]))).mode & 0o777).toBe(0o600);
  });

  it("prints the link so a developer can follow it", async () => {
    await mailbox.send(mail("ann@example.com", "Reset your password", "http://localhost:3000/reset-password?token=xyz"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("ann@example.com");
    expect(lines[0]).toContain("Reset your password");
    expect(lines[0]).toContain("http://localhost:3000/reset-password?token=xyz");
  });

  it("lists newest first, with a limit and a recipient filter, and finds one by id", async () => {
    await mailbox.send(mail("ann@example.com", "first"));
    clock.advance(1);
    await mailbox.send(mail("bob@example.com", "second"));
    await mailbox.send(mail("ann@example.com", "third (same millisecond)"));
    expect((await mailbox.list()).map((m) => m.subject)).toEqual(["third (same millisecond)", "second", "first"]);
    expect((await mailbox.list({ limit: 2 })).map((m) => m.subject)).toEqual(["third (same millisecond)", "second"]);
    expect((await mailbox.list({ to: "ann@example.com" })).map((m) => m.subject)).toEqual(["third (same millisecond)", "first"]);
    const [newest] = await mailbox.list();
    await expect(mailbox.get(newest.id)).resolves.toEqual(newest);
  });

  it("survives a restart: a new instance on the same folder sees the mails", async () => {
    await mailbox.send(mail("ann@example.com"));
    const again = new DevMailbox({ dir, clock, log: () => undefined });
    expect(await again.list()).toHaveLength(1);
  });

  it("is empty before any mail, and after clear()", async () => {
    await expect(mailbox.list()).resolves.toEqual([]);
    await mailbox.send(mail("ann@example.com"));
    await mailbox.clear();
    await expect(mailbox.list()).resolves.toEqual([]);
  });

  it("never reads outside its folder, whatever id it is given", async () => {
    await mailbox.send(mail("ann@example.com"));
    for (const id of ["../../etc/passwd", "..", "", "000000000000001-000001-abcdef01/../x", "x".repeat(500)]) {
      await expect(mailbox.get(id)).resolves.toBeNull();
    }
  });

  it("ignores stray and half-written files", async () => {
    await mailbox.send(mail("ann@example.com"));
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(dir, "notes.txt"), "hello");
    await writeFile(join(dir, "001893456000000-000999-deadbeef.json"), "{ broken");
    expect((await mailbox.list()).map((m) => m.to)).toEqual(["ann@example.com"]);
  });

  it("keeps only the newest mails once it holds more than its limit", async () => {
    const small = new DevMailbox({ dir, clock, log: () => undefined, keep: 3 });
    for (let i = 1; i <= 5; i++) {
      clock.advance(1);
      await small.send(mail(`user${i}@example.com`));
    }
    expect((await small.list()).map((m) => m.to)).toEqual(["user5@example.com", "user4@example.com", "user3@example.com"]);
    expect((await readdir(dir)).length).toBe(3);
  });
});
