import type { Outbox, OutgoingMail } from "../../application/shared/ports/outbox.port";

export interface QueuedMail {
  readonly id: string;
  readonly mail: OutgoingMail;
  readonly attempts: number;
  readonly createdAt: Date;
}

/**
 * The delivery side of the transactional outbox, used by the dispatcher only. Every store that
 * implements the core's `Outbox` implements this too.
 */
export interface OutboxQueue extends Outbox {
  /**
   * Claims up to `limit` mails that are due at `now` (unsent, next attempt ≤ now), leasing them until
   * `now + leaseSeconds` so that two dispatchers (two app instances) never send the same mail at once;
   * a dispatcher that dies mid-send lets its lease lapse and the mail is claimed again.
   */
  claimDue(now: Date, limit: number, leaseSeconds: number): Promise<QueuedMail[]>;
  /** Delivered: never sent again; the payload (which may hold a token) is erased. */
  markSent(id: string, at: Date): Promise<void>;
  /** Failed: tried again at `retryAt`; `error` is a short reason without secrets. */
  markFailed(id: string, error: string, retryAt: Date): Promise<void>;
  /**
   * Given up: never claimed again (a permanent refusal, or undelivered for too long). The row stays,
   * with its reason, for the operator until retention removes it; its payload is erased like a sent one's.
   */
  markDead(id: string, error: string, at: Date): Promise<void>;
  /** Unsent mails still to be tried, oldest first (for the operator and tests). */
  pending(): Promise<QueuedMail[]>;
  /** Mails still to be tried and the age of the oldest, for metrics. */
  stats(now: Date): Promise<{ depth: number; oldestAgeSeconds: number }>;
}
