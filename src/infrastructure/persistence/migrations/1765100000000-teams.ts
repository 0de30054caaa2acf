import type { MigrationInterface, QueryRunner } from "typeorm";

/** Teams, their memberships (one per team and user) and e-mail invitations (token stored hashed). */
export class Teams1765100000000 implements MigrationInterface {
  name = "Teams1765100000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "teams" (
        "id" text NOT NULL,
        "name" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
      )`);

    await queryRunner.query(`
      CREATE TABLE "team_memberships" (
        "team_id" text NOT NULL,
        "user_id" text NOT NULL,
        "role" text NOT NULL,
        "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "team_memberships_pkey" PRIMARY KEY ("team_id", "user_id"),
        CONSTRAINT "team_memberships_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "team_memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE INDEX "team_memberships_user_id_idx" ON "team_memberships" ("user_id")`);

    await queryRunner.query(`
      CREATE TABLE "team_invitations" (
        "id" text NOT NULL,
        "team_id" text NOT NULL,
        "email" text NOT NULL,
        "role" text NOT NULL,
        "token_hash" text NOT NULL,
        "invited_by" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "accepted_at" TIMESTAMP WITH TIME ZONE,
        "declined_at" TIMESTAMP WITH TIME ZONE,
        "invalidated_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "team_invitations_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "team_invitations_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "team_invitations_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "team_invitations_token_hash_key" ON "team_invitations" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "team_invitations_team_id_email_idx" ON "team_invitations" ("team_id", "email")`);
    await queryRunner.query(`CREATE INDEX "team_invitations_invited_by_idx" ON "team_invitations" ("invited_by")`);
    // A team's invitation activity, read from the auth events by the team id in their detail.
    await queryRunner.query(`CREATE INDEX "auth_events_team_id_idx" ON "auth_events" ((detail->>'teamId'), "seq")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "auth_events_team_id_idx"`);
    for (const table of ["team_invitations", "team_memberships", "teams"]) await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
