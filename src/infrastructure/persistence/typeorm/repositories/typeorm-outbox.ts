import { randomBytes } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { Clock } from "../../../../application/shared/ports/clock.port";
import type { MailTemplate, OutgoingMail } from "../../../../application/shared/ports/outbox.port";
import type { OutboxQueue, QueuedMail } from "../../../mail/outbox-queue";
import type { OutboxCipher } from "../outbox-cipher";
import { sql } from "../sql";

interface OutboxDbRow {
  id: string;
  recipient: string;
  template: string;
  params_sealed: Buffer | null;
  attempts: number;
  created_at: Date;
  seq: string;
}

const COLUMNS = `id, recipient, template, params_sealed, attempts, created_at, seq`;
// A row whose params no longer open (the secret changed) is parked instead of blocking the queue.
const UNREADABLE_RETRY_SECONDS = 24 * 3600;

/**
 * The outbox as a table: a mail enqueued inside a unit of work commits or rolls back with it. The
 * parameters (one-time tokens) are sealed with AES-256-GCM at rest and erased once the mail is sent.
 */
export class TypeOrmOutbox implements OutboxQueue {
  constructor(
    private readonly manager: EntityManager,
    private readonly cipher: OutboxCipher,
    private readonly clock: Clock,
    private readonly onEnqueue?: (mail: OutgoingMail) => void,
  ) {}

  async enqueue(mail: OutgoingMail): Promise<void> {
    const id = randomBytes(16).toString("base64url");
    const now = this.clock.now();
    await sql(
      this.manager,
      `INSERT INTO outbox (id, recipient, template, params_sealed, attempts, created_at, next_attempt_at)
       VALUES ($1, $2, $3, $4, 0, $5, $5)`,
      [id, mail.to, mail.template, this.cipher.seal(JSON.stringify(mail.params ?? {}), id), now],
    );
    this.onEnqueue?.(mail);
  }

  /**
   * One UPDATE over a sub-select that locks with SKIP LOCKED: two dispatchers claiming at once each
   * get different rows, and the lease keeps the claimed rows from being due again until it lapses.
   * A claim counts as an attempt, so a mail that crashes its dispatcher is not retried at full speed.
   */
  async claimDue(now: Date, limit: number, leaseSeconds: number): Promise<QueuedMail[]> {
    if (limit <= 0) return [];
    const leaseUntil = new Date(now.getTime() + leaseSeconds * 1000);
    const { rows } = await sql<OutboxDbRow>(
      this.manager,
      `UPDATE outbox SET lease_until = $2, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM outbox
         WHERE sent_at IS NULL AND next_attempt_at <= $1 AND failed_at IS NULL AND (lease_until IS NULL OR lease_until <= $1)
         ORDER BY next_attempt_at, seq
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      [now, leaseUntil, Math.floor(limit)],
    );
    const claimed: QueuedMail[] = [];
    for (const row of sortBySeq(rows)) {
      const mail = this.tryOpen(row);
      if (mail) {
        claimed.push(mail);
      } else {
        await this.markFailed(
          row.id,
          "params cannot be decrypted (the secret changed?)",
          new Date(now.getTime() + UNREADABLE_RETRY_SECONDS * 1000),
        );
      }
    }
    return claimed;
  }

  async markSent(id: string, at: Date): Promise<void> {
    await sql(
      this.manager,
      `UPDATE outbox SET sent_at = $2, params_sealed = NULL, lease_until = NULL WHERE id = $1 AND sent_at IS NULL`,
      [id, at],
    );
  }

  async markFailed(id: string, error: string, retryAt: Date): Promise<void> {
    await sql(
      this.manager,
      `UPDATE outbox SET last_error = $2, next_attempt_at = $3, lease_until = NULL WHERE id = $1 AND sent_at IS NULL`,
      [id, error.slice(0, 500), retryAt],
    );
  }

  async markDead(id: string, error: string, at: Date): Promise<void> {
    await sql(
      this.manager,
      `UPDATE outbox SET failed_at = $3, last_error = $2, params_sealed = NULL, lease_until = NULL WHERE id = $1 AND sent_at IS NULL`,
      [id, error.slice(0, 500), at],
    );
  }

  async stats(now: Date): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const { rows } = await sql<{ depth: string; oldest: Date | null }>(
      this.manager,
      `SELECT count(*) AS depth, min(created_at) AS oldest FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL`,
    );
    const oldest = rows[0]?.oldest;
    return { depth: Number(rows[0]?.depth ?? 0), oldestAgeSeconds: oldest ? Math.max(0, (now.getTime() - new Date(oldest).getTime()) / 1000) : 0 };
  }

  async pending(): Promise<QueuedMail[]> {
    const { rows } = await sql<OutboxDbRow>(
      this.manager,
      `SELECT ${COLUMNS} FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY seq`,
    );
    // The operator's view still lists a mail whose params no longer open, just without them.
    return rows.map((row) => this.tryOpen(row) ?? toQueued(row, {}));
  }

  private tryOpen(row: OutboxDbRow): QueuedMail | null {
    try {
      const params = row.params_sealed ? (JSON.parse(this.cipher.open(row.params_sealed, row.id)) as Record<string, string>) : {};
      return toQueued(row, params);
    } catch {
      return null;
    }
  }
}

function toQueued(row: OutboxDbRow, params: Record<string, string>): QueuedMail {
  return {
    id: row.id,
    mail: { to: row.recipient, template: row.template as MailTemplate, params },
    attempts: row.attempts,
    createdAt: row.created_at,
  };
}

function sortBySeq(rows: OutboxDbRow[]): OutboxDbRow[] {
  return [...rows].sort((a, b) => Number(a.seq) - Number(b.seq));
}
