import type { MigrationInterface, QueryRunner } from "typeorm";

/** RFC 8628 device authorizations (codes stored hashed) and the device tokens they yield. */
export class DeviceAuthorization1764160000000 implements MigrationInterface {
  name = "DeviceAuthorization1764160000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "device_authorizations" (
        "id" text NOT NULL,
        "device_code_hash" text NOT NULL,
        "user_code" text NOT NULL,
        "client_id" text NOT NULL,
        "scope" text,
        "status" text NOT NULL,
        "user_id" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "decided_at" TIMESTAMP WITH TIME ZONE,
        "interval_seconds" integer NOT NULL,
        "last_polled_at" TIMESTAMP WITH TIME ZONE,
        "request_ip" text,
        CONSTRAINT "device_authorizations_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "device_authorizations_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "device_authorizations_device_code_hash_key" ON "device_authorizations" ("device_code_hash")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "device_authorizations_user_code_key" ON "device_authorizations" ("user_code")`);
    await queryRunner.query(`CREATE INDEX "device_authorizations_user_id_idx" ON "device_authorizations" ("user_id")`);

    await queryRunner.query(`
      CREATE TABLE "device_tokens" (
        "id" text NOT NULL,
        "user_id" text NOT NULL,
        "authorization_id" text NOT NULL,
        "client_id" text NOT NULL,
        "client_name" text NOT NULL,
        "prefix" text NOT NULL,
        "secret_hash" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "ip" text,
        CONSTRAINT "device_tokens_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "device_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "device_tokens_prefix_key" ON "device_tokens" ("prefix")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "device_tokens_authorization_id_key" ON "device_tokens" ("authorization_id")`);
    await queryRunner.query(`CREATE INDEX "device_tokens_user_id_idx" ON "device_tokens" ("user_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "device_tokens"`);
    await queryRunner.query(`DROP TABLE "device_authorizations"`);
  }
}
