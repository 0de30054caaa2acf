import type { MigrationInterface, QueryRunner } from "typeorm";
import { emailSkeleton } from "../../../domain/identity/email-skeleton";

const BATCH = 5000;

/**
 * `users.email_skeleton`: what the address looks like (`emailSkeleton`, from Unicode's confusables
 * data), unique, so a whole-script look-alike of an account's address cannot become a second account.
 *
 * Existing rows are filled in here, oldest account first. Mixed scripts in one label were refused
 * before, but two accounts whose addresses are whole-script look-alikes of each other may exist
 * already: the older one keeps the skeleton, the later one is left with none (NULL, which the unique
 * index allows). Both go on working; the later one is simply not protected against look-alikes of
 * itself until its address changes (a change of address computes the skeleton again).
 */
export class EmailSkeleton1765600000000 implements MigrationInterface {
  name = "EmailSkeleton1765600000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "email_skeleton" text`);
    const rows: Array<{ id: string; email: string }> = await queryRunner.query(`SELECT id, email FROM users ORDER BY created_at, id`);
    const seen = new Set<string>();
    const ids: string[] = [];
    const skeletons: string[] = [];
    for (const { id, email } of rows) {
      const skeleton = emailSkeleton(email);
      if (seen.has(skeleton)) continue;
      seen.add(skeleton);
      ids.push(id);
      skeletons.push(skeleton);
    }
    for (let start = 0; start < ids.length; start += BATCH) {
      await queryRunner.query(
        `UPDATE users SET email_skeleton = batch.skeleton
         FROM unnest($1::text[], $2::text[]) AS batch(id, skeleton)
         WHERE users.id = batch.id`,
        [ids.slice(start, start + BATCH), skeletons.slice(start, start + BATCH)],
      );
    }
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_skeleton_key" ON "users" ("email_skeleton")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "users_email_skeleton_key"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_skeleton"`);
  }
}
