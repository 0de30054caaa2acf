import type { MigrationInterface, QueryRunner } from "typeorm";

/** Every table of the product. Timestamps carry no defaults: all times come from the application's clock. */
export class InitialSchema1764150000000 implements MigrationInterface {
  name = "InitialSchema1764150000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" text NOT NULL,
        "email" text NOT NULL,
        "password_hash" text NOT NULL,
        "email_verified_at" TIMESTAMP WITH TIME ZONE,
        "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "users_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_key" ON "users" ("email")`);

    await queryRunner.query(`
      CREATE TABLE "sessions" (
        "id" text NOT NULL,
        "user_id" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "authenticated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "rotated_at" TIMESTAMP WITH TIME ZONE,
        "replaced_by" text,
        "user_agent" text,
        "ip" text,
        CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE INDEX "sessions_user_id_idx" ON "sessions" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "sessions_replaced_by_idx" ON "sessions" ("replaced_by")`);

    await queryRunner.query(`
      CREATE TABLE "verification_tokens" (
        "id" text NOT NULL,
        "user_id" text NOT NULL,
        "purpose" text NOT NULL,
        "token_hash" text NOT NULL,
        "email" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "consumed_at" TIMESTAMP WITH TIME ZONE,
        "invalidated_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "verification_tokens_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "verification_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "verification_tokens_token_hash_key" ON "verification_tokens" ("token_hash")`);
    await queryRunner.query(
      `CREATE INDEX "verification_tokens_user_id_purpose_idx" ON "verification_tokens" ("user_id", "purpose")`,
    );

    await queryRunner.query(`
      CREATE TABLE "api_keys" (
        "id" text NOT NULL,
        "user_id" text NOT NULL,
        "name" text NOT NULL,
        "prefix" text NOT NULL,
        "secret_hash" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "api_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys" ("prefix")`);
    await queryRunner.query(`CREATE INDEX "api_keys_user_id_idx" ON "api_keys" ("user_id")`);

    await queryRunner.query(`
      CREATE TABLE "outbox" (
        "id" text NOT NULL,
        "seq" BIGSERIAL NOT NULL,
        "recipient" text NOT NULL,
        "template" text NOT NULL,
        "params_sealed" bytea,
        "attempts" integer NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "lease_until" TIMESTAMP WITH TIME ZONE,
        "sent_at" TIMESTAMP WITH TIME ZONE,
        "last_error" text,
        CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "outbox_due_idx" ON "outbox" ("next_attempt_at") WHERE sent_at IS NULL`);

    await queryRunner.query(`
      CREATE TABLE "auth_events" (
        "id" text NOT NULL,
        "seq" BIGSERIAL NOT NULL,
        "type" text NOT NULL,
        "user_id" text,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "ip" text,
        "user_agent" text,
        "detail" jsonb NOT NULL,
        CONSTRAINT "auth_events_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "auth_events_user_id_at_idx" ON "auth_events" ("user_id", "at")`);

    await queryRunner.query(`
      CREATE TABLE "rate_limits" (
        "key" text NOT NULL,
        "count" integer NOT NULL,
        "reset_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
      )`);
    await queryRunner.query(`CREATE INDEX "rate_limits_reset_at_idx" ON "rate_limits" ("reset_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["rate_limits", "auth_events", "outbox", "api_keys", "verification_tokens", "sessions", "users"]) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
