import type { MigrationInterface, QueryRunner } from "typeorm";

/** A subscription per team, as the payment provider last reported it, and the provider events applied. */
export class Billing1765200000000 implements MigrationInterface {
  name = "Billing1765200000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "team_subscriptions" (
        "team_id" text NOT NULL,
        "plan" text NOT NULL,
        "status" text NOT NULL,
        "current_period_end" TIMESTAMP WITH TIME ZONE,
        "cancel_at_period_end" boolean NOT NULL,
        "customer_id" text NOT NULL,
        "subscription_id" text NOT NULL,
        "last_event_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "team_subscriptions_pkey" PRIMARY KEY ("team_id"),
        CONSTRAINT "team_subscriptions_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE INDEX "team_subscriptions_customer_id_idx" ON "team_subscriptions" ("customer_id")`);
    await queryRunner.query(`
      CREATE TABLE "billing_events" (
        "id" text NOT NULL,
        "applied_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "billing_events_pkey" PRIMARY KEY ("id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["billing_events", "team_subscriptions"]) await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
