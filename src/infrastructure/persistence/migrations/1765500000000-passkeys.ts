import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Passkeys (one WebAuthn credential each, bound to one user by the unique credential id) and the
 * challenges of ceremonies in flight (single use: consumed by deleting the row; five minutes at most).
 */
export class Passkeys1765500000000 implements MigrationInterface {
  name = "Passkeys1765500000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "passkeys" (
        "id" text NOT NULL,
        "user_id" text NOT NULL,
        "credential_id" text NOT NULL,
        "public_key" bytea NOT NULL,
        "counter" bigint NOT NULL,
        "transports" text NOT NULL,
        "name" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "passkeys_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "passkeys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "passkeys_credential_id_key" ON "passkeys" ("credential_id")`);
    await queryRunner.query(`CREATE INDEX "passkeys_user_id_idx" ON "passkeys" ("user_id")`);
    await queryRunner.query(`
      CREATE TABLE "passkey_challenges" (
        "challenge" text NOT NULL,
        "ceremony" text NOT NULL,
        "user_id" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "passkey_challenges_pkey" PRIMARY KEY ("challenge"),
        CONSTRAINT "passkey_challenges_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE INDEX "passkey_challenges_expires_at_idx" ON "passkey_challenges" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "passkey_challenges"`);
    await queryRunner.query(`DROP TABLE "passkeys"`);
  }
}
