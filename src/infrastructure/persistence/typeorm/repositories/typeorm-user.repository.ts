import type { EntityManager } from "typeorm";
import type { UserRepository } from "../../../../application/shared/ports/user-repository.port";
import { EmailTaken } from "../../../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../../../domain/shared/result";
import type { Email } from "../../../../domain/identity/email";
import type { User } from "../../../../domain/identity/user";
import { selectOne, sql } from "../sql";
import { toUser, toUserRow, UserSchema } from "../schemas/user.schema";

export class TypeOrmUserRepository implements UserRepository {
  constructor(private readonly manager: EntityManager) {}

  // The reads every sign-in and every uncached session check make are plain statements: the query
  // builder behind findOneBy cost about three times their CPU for the same one-row lookup.
  async findById(id: string): Promise<User | null> {
    const row = await selectOne(this.manager, UserSchema, "id", id);
    return row ? toUser(row) : null;
  }

  async findByEmail(email: Email): Promise<User | null> {
    const row = await selectOne(this.manager, UserSchema, "email", email.value);
    return row ? toUser(row) : null;
  }

  async findLookAlike(email: Email): Promise<User | null> {
    const row = await selectOne(this.manager, UserSchema, "emailSkeleton", email.skeleton);
    return row ? toUser(row) : null;
  }

  /**
   * ON CONFLICT instead of catching unique_violation: a failed statement would abort the whole
   * PostgreSQL transaction, and a concurrent insert of the same address still waits for the first
   * to commit or roll back before this one decides. No conflict target: the address and its
   * skeleton are both unique, and either conflict means the address is taken.
   */
  async insert(user: User): Promise<Result<void, EmailTaken>> {
    const row = toUserRow(user);
    const { rows } = await sql(
      this.manager,
      `INSERT INTO users (id, email, email_skeleton, password_hash, email_verified_at, password_changed_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [row.id, row.email, row.emailSkeleton, row.passwordHash, row.emailVerifiedAt, row.passwordChangedAt, row.createdAt],
    );
    return rows.length === 1 ? ok() : fail(new EmailTaken());
  }

  async save(user: User): Promise<void> {
    // The skeleton changes only with the address, through saveNewEmail; a row left without one keeps none.
    const { id, createdAt: _createdAt, emailSkeleton: _skeleton, ...changes } = toUserRow(user);
    await this.manager.getRepository(UserSchema).update({ id }, changes);
  }

  async saveNewEmail(user: User): Promise<Result<void, EmailTaken>> {
    const row = toUserRow(user);
    try {
      // Its own savepoint: a unique violation must not abort the unit of work around it.
      await this.manager.transaction((manager) =>
        sql(manager, `UPDATE users SET email = $2, email_skeleton = $3, email_verified_at = $4 WHERE id = $1`, [
          row.id,
          row.email,
          row.emailSkeleton,
          row.emailVerifiedAt,
        ]),
      );
      return ok();
    } catch (error) {
      if ((error as { driverError?: { code?: string }; code?: string }).driverError?.code === "23505" || (error as { code?: string }).code === "23505") {
        return fail(new EmailTaken());
      }
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    // Sessions, tokens and API keys go by ON DELETE CASCADE; events carry no foreign key.
    await sql(this.manager, `DELETE FROM auth_events WHERE user_id = $1`, [id]);
    await sql(this.manager, `DELETE FROM users WHERE id = $1`, [id]);
  }
}
