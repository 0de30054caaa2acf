import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Clock } from "../../application/shared/ports/clock.port";
import type { Mailer, RenderedMail } from "./mailer";

/** A mail kept by the development mailbox. */
export interface StoredMail {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly link?: string;
  /** ISO 8601. */
  readonly sentAt: string;
}

export interface DevMailboxOptions {
  /** Folder of the JSON files, e.g. `${DATA_DIR}/mailbox`. */
  readonly dir: string;
  readonly clock: Clock;
  /** Where the "mail sent" line with its link goes; the console by default. */
  readonly log?: (line: string) => void;
  /** Older mails beyond this many are deleted, so the folder does not grow for ever. */
  readonly keep?: number;
}

const FILE = /^(\d{15})-(\d{6})-([0-9a-f]{8})\.json$/;
const DEFAULT_KEEP = 200;
let sequence = 0;

/**
 * Development stand-in for SMTP: every mail becomes a JSON file (readable by a mailbox page and by
 * tests, and surviving a restart), and its link is printed so a developer can click it. For
 * development only: it shows tokens by design.
 */
export class DevMailbox implements Mailer {
  private readonly log: (line: string) => void;
  private readonly keep: number;

  constructor(private readonly options: DevMailboxOptions) {
    this.log = options.log ?? ((line) => console.info(line));
    this.keep = options.keep ?? DEFAULT_KEEP;
  }

  get dir(): string {
    return this.options.dir;
  }

  async send(mail: RenderedMail): Promise<void> {
    const sentAt = this.options.clock.now();
    // The name sorts by time, then by order within this process; the random part keeps two processes apart.
    sequence = (sequence + 1) % 1_000_000;
    const id = `${String(sentAt.getTime()).padStart(15, "0")}-${String(sequence).padStart(6, "0")}-${randomBytes(4).toString("hex")}`;
    const stored: StoredMail = {
      id,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      ...(mail.link ? { link: mail.link } : {}),
      sentAt: sentAt.toISOString(),
    };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = join(this.dir, `.${id}.tmp`);
    // Written aside, then renamed: a reader never sees half a file.
    await writeFile(temporary, JSON.stringify(stored, null, 2), { mode: 0o600 });
    await rename(temporary, join(this.dir, `${id}.json`));
    this.log(`[mailbox] "${mail.subject}" to ${mail.to}${mail.link ? `: ${mail.link}` : ""}`);
    await this.prune();
  }

  /** The newest mails first, optionally only those to one address. */
  async list(options: { limit?: number; to?: string } = {}): Promise<StoredMail[]> {
    const limit = options.limit ?? 50;
    const result: StoredMail[] = [];
    for (const id of await this.ids()) {
      if (result.length >= limit) break;
      const mail = await this.get(id);
      if (mail && (options.to === undefined || mail.to === options.to)) result.push(mail);
    }
    return result;
  }

  /** One mail by id, or null (also for ids that are not ours, so a path can never be smuggled in). */
  async get(id: string): Promise<StoredMail | null> {
    if (typeof id !== "string" || !FILE.test(`${id}.json`)) return null;
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, `${id}.json`), "utf8")) as StoredMail;
      return parsed && typeof parsed === "object" && parsed.id === id ? parsed : null;
    } catch {
      return null;
    }
  }

  async clear(): Promise<void> {
    await Promise.all((await this.ids()).map((id) => rm(join(this.dir, `${id}.json`), { force: true })));
  }

  /** Newest first. */
  private async ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return names
      .filter((name) => FILE.test(name))
      .map((name) => name.slice(0, -".json".length))
      .sort()
      .reverse();
  }

  private async prune(): Promise<void> {
    const stale = (await this.ids()).slice(this.keep);
    await Promise.all(stale.map((id) => rm(join(this.dir, `${id}.json`), { force: true })));
  }
}
