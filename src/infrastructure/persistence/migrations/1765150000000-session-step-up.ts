import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Step-up: when a session last proved its user (sign-in or re-authentication) and with what. Existing
 * sessions count from their sign-in, by password (the only method there was).
 */
export class SessionStepUp1765150000000 implements MigrationInterface {
  name = "SessionStepUp1765150000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "last_authenticated_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "sessions" SET "last_authenticated_at" = "authenticated_at"`);
    await queryRunner.query(`ALTER TABLE "sessions" ALTER COLUMN "last_authenticated_at" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD "auth_methods" text NOT NULL DEFAULT 'password'`);
    await queryRunner.query(`ALTER TABLE "sessions" ALTER COLUMN "auth_methods" DROP DEFAULT`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "auth_methods"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "last_authenticated_at"`);
  }
}
