import type { Clock } from "../../../application/shared/ports/clock.port";
import type { MailTemplate, OutgoingMail } from "../../../application/shared/ports/outbox.port";
import type { OutboxQueue, QueuedMail } from "../../mail/outbox-queue";
import type { OutboxRow, TableAccess } from "./in-memory-database";

/**
 * The outbox as a table of the in-memory database: a mail enqueued inside a unit of work that rolls
 * back disappears with it. Besides the queue it offers read-outs for tests (`messages`, `lastTo`).
 */
export class InMemoryOutbox implements OutboxQueue {
  constructor(
    private readonly access: TableAccess,
    private readonly clock: Clock,
  ) {}

  async enqueue(mail: OutgoingMail): Promise<void> {
    const now = this.clock.now();
    const seq = this.access.db.nextSeq();
    const id = `mail-${seq}`;
    this.access.set("outbox", id, {
      id,
      seq,
      mail: { to: mail.to, template: mail.template, params: { ...mail.params } },
      attempts: 0,
      createdAt: now,
      nextAttemptAt: now,
      leaseUntil: null,
      sentAt: null,
      lastError: null,
    });
  }

  async claimDue(now: Date, limit: number, leaseSeconds: number): Promise<QueuedMail[]> {
    const due = this.ordered().filter(
      (row) => row.sentAt === null && !row.failedAt && row.nextAttemptAt <= now && (row.leaseUntil === null || row.leaseUntil <= now),
    );
    const claimed: QueuedMail[] = [];
    for (const row of due.slice(0, Math.max(0, limit))) {
      // A claim counts as an attempt, so a mail that crashes its dispatcher is not retried for ever at full speed.
      const next: OutboxRow = { ...row, attempts: row.attempts + 1, leaseUntil: new Date(now.getTime() + leaseSeconds * 1000) };
      this.access.set("outbox", row.id, next);
      claimed.push(toQueued(next));
    }
    return claimed;
  }

  async markSent(id: string, at: Date): Promise<void> {
    const row = this.access.get("outbox", id);
    if (!row) return;
    this.access.set("outbox", id, { ...row, sentAt: at, leaseUntil: null, mail: { ...row.mail, params: {} } });
  }

  async markFailed(id: string, error: string, retryAt: Date): Promise<void> {
    const row = this.access.get("outbox", id);
    if (!row || row.sentAt !== null) return;
    this.access.set("outbox", id, { ...row, lastError: error, nextAttemptAt: retryAt, leaseUntil: null });
  }

  async markDead(id: string, error: string, at: Date): Promise<void> {
    const row = this.access.get("outbox", id);
    if (!row || row.sentAt !== null) return;
    this.access.set("outbox", id, { ...row, failedAt: at, lastError: error, leaseUntil: null, mail: { ...row.mail, params: {} } });
  }

  async pending(): Promise<QueuedMail[]> {
    return this.ordered()
      .filter((row) => row.sentAt === null && !row.failedAt)
      .map(toQueued);
  }

  async stats(now: Date): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const waiting = this.ordered().filter((row) => row.sentAt === null && !row.failedAt);
    const oldest = Math.min(...waiting.map((row) => row.createdAt.getTime()));
    return { depth: waiting.length, oldestAgeSeconds: waiting.length ? Math.max(0, (now.getTime() - oldest) / 1000) : 0 };
  }

  /** Every committed mail, oldest first, sent or not (a sent one has its params erased). */
  get messages(): OutgoingMail[] {
    return this.ordered().map((row) => row.mail);
  }

  /** The newest mail to `email` (canonical form), optionally of one template. */
  lastTo(email: string, template?: MailTemplate): OutgoingMail | undefined {
    const matching = this.messages.filter((mail) => mail.to === email && (template === undefined || mail.template === template));
    return matching[matching.length - 1];
  }

  /** The token mailed last to `email` with `template` (what the user would click), if any. */
  lastTokenFor(email: string, template: MailTemplate): string | undefined {
    return this.lastTo(email.trim().toLowerCase(), template)?.params.token;
  }

  private ordered(): OutboxRow[] {
    return this.access.rows("outbox").sort((a, b) => a.seq - b.seq);
  }
}

function toQueued(row: OutboxRow): QueuedMail {
  return { id: row.id, mail: row.mail, attempts: row.attempts, createdAt: row.createdAt };
}
