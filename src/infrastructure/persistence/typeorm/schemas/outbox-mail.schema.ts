import { EntitySchema } from "typeorm";

export interface OutboxMailRow {
  id: string;
  seq?: string;
  recipient: string;
  template: string;
  /** AES-256-GCM sealed JSON of the mail's params; null once sent. */
  paramsSealed: Buffer | null;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  sentAt: Date | null;
  /** Ended as failed: never tried again (a permanent refusal, or too old); removed by retention. */
  failedAt: Date | null;
  lastError: string | null;
}

export const OutboxMailSchema = new EntitySchema<OutboxMailRow>({
  name: "OutboxMail",
  tableName: "outbox",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "outbox_pkey" },
    // Keeps first-in first-out among mails enqueued within the same millisecond.
    seq: { type: "bigint", generated: "increment" },
    recipient: { type: "text" },
    template: { type: "text" },
    paramsSealed: { type: "bytea", name: "params_sealed", nullable: true },
    attempts: { type: "integer" },
    createdAt: { type: "timestamptz", name: "created_at" },
    nextAttemptAt: { type: "timestamptz", name: "next_attempt_at" },
    leaseUntil: { type: "timestamptz", name: "lease_until", nullable: true },
    sentAt: { type: "timestamptz", name: "sent_at", nullable: true },
    failedAt: { type: "timestamptz", name: "failed_at", nullable: true },
    lastError: { type: "text", name: "last_error", nullable: true },
  },
  // Only unsent mail is ever looked for by due time; sent rows stay out of the index.
  indices: [
    { name: "outbox_due_idx", columns: ["nextAttemptAt"], where: "sent_at IS NULL" },
    // Made by the retention migration (partial or not, TypeORM cannot compare them): declared so schema synchronisation leaves it alone.
    { name: "outbox_sent_at_idx", columns: ["sentAt"], synchronize: false },
    { name: "outbox_failed_at_idx", columns: ["failedAt"], synchronize: false },
  ],
});
