import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A mail can end as failed (refused for good by the SMTP server, or still undelivered after
 * MAIL_MAX_RETRY_AGE): it is never tried again but stays visible to the operator until retention.
 */
export class OutboxFailedMail1765170000000 implements MigrationInterface {
  name = "OutboxFailedMail1765170000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox" ADD "failed_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "failed_at"`);
  }
}
