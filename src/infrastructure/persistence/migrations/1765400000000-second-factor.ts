import type { MigrationInterface, QueryRunner } from "typeorm";

/** TOTP factors (seed sealed with AES-256-GCM, last accepted step) and recovery codes (argon2 hashes only). */
export class SecondFactor1765400000000 implements MigrationInterface {
  name = "SecondFactor1765400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "totp_factors" (
        "user_id" text NOT NULL,
        "secret_sealed" bytea NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "enabled_at" TIMESTAMP WITH TIME ZONE,
        "last_used_step" bigint,
        CONSTRAINT "totp_factors_pkey" PRIMARY KEY ("user_id"),
        CONSTRAINT "totp_factors_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`
      CREATE TABLE "recovery_codes" (
        "id" text NOT NULL,
        "user_id" text NOT NULL,
        "lookup" text NOT NULL,
        "code_hash" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "recovery_codes_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE INDEX "recovery_codes_user_id_lookup_idx" ON "recovery_codes" ("user_id", "lookup")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["recovery_codes", "totp_factors"]) await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
