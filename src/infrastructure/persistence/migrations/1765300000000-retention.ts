import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The lease that lets one instance at a time run a retention pass, and the indexes its batched deletes
 * and the bounded sessions list read. Partial where only dead rows qualify, so live rows cost nothing
 * to keep indexed. No index names `last_seen_at`: the session check's touch stays a HOT update.
 */
export class Retention1765300000000 implements MigrationInterface {
  name = "Retention1765300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "leases" (
        "name" text NOT NULL,
        "holder" text NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "leases_pkey" PRIMARY KEY ("name")
      )`);
    for (const statement of INDEXES) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of INDEX_NAMES) await queryRunner.query(`DROP INDEX "${name}"`);
    await queryRunner.query(`DROP TABLE "leases"`);
  }
}

const INDEXES = [
  // A user's live sessions (sessions list, and ending the oldest beyond the maximum on sign-in): the range
  // expires_at > now visits only the live ones, never the expired ones waiting for retention, which an
  // index in created_at order would have to step over.
  `CREATE INDEX "sessions_user_live_idx" ON "sessions" ("user_id", "expires_at") WHERE revoked_at IS NULL AND rotated_at IS NULL`,
  `CREATE INDEX "sessions_expires_at_idx" ON "sessions" ("expires_at")`,
  `CREATE INDEX "sessions_revoked_at_idx" ON "sessions" ("revoked_at") WHERE revoked_at IS NOT NULL`,
  `CREATE INDEX "verification_tokens_expires_at_idx" ON "verification_tokens" ("expires_at")`,
  `CREATE INDEX "verification_tokens_consumed_at_idx" ON "verification_tokens" ("consumed_at") WHERE consumed_at IS NOT NULL`,
  `CREATE INDEX "verification_tokens_invalidated_at_idx" ON "verification_tokens" ("invalidated_at") WHERE invalidated_at IS NOT NULL`,
  `CREATE INDEX "device_authorizations_expires_at_idx" ON "device_authorizations" ("expires_at")`,
  `CREATE INDEX "device_tokens_expires_at_idx" ON "device_tokens" ("expires_at")`,
  `CREATE INDEX "device_tokens_revoked_at_idx" ON "device_tokens" ("revoked_at") WHERE revoked_at IS NOT NULL`,
  `CREATE INDEX "team_invitations_expires_at_idx" ON "team_invitations" ("expires_at")`,
  `CREATE INDEX "outbox_sent_at_idx" ON "outbox" ("sent_at") WHERE sent_at IS NOT NULL`,
  `CREATE INDEX "outbox_failed_at_idx" ON "outbox" ("failed_at") WHERE failed_at IS NOT NULL`,
  `CREATE INDEX "auth_events_at_idx" ON "auth_events" ("at")`,
];

const INDEX_NAMES = INDEXES.map((statement) => /INDEX "([^"]+)"/.exec(statement)![1]!);
