import { IsNull, MoreThan, type EntityManager } from "typeorm";
import type { SessionRepository } from "../../../../application/shared/ports/session-repository.port";
import type { Session } from "../../../../domain/session/session";
import { insertOne, selectOne, sql } from "../sql";
import { SessionSchema, toSession, toSessionRow } from "../schemas/session.schema";

export class TypeOrmSessionRepository implements SessionRepository {
  constructor(private readonly manager: EntityManager) {}

  // Opening a session and reading one by id are on every sign-in and every uncached session check:
  // plain statements, at a third (read) to a half (insert) of the query builder's CPU.
  async insert(session: Session): Promise<void> {
    await insertOne(this.manager, SessionSchema, toSessionRow(session));
  }

  async findById(id: string): Promise<Session | null> {
    const row = await selectOne(this.manager, SessionSchema, "id", id);
    return row ? toSession(row) : null;
  }

  async rotate(predecessor: Session, successor: Session): Promise<boolean> {
    const rotatedAt = predecessor.rotatedAt ?? successor.createdAt;
    // Nested inside a unit of work this becomes a savepoint, so a lost race leaves the outer work intact.
    return this.manager.transaction(async (manager) => {
      const { affected } = await sql(
        manager,
        `UPDATE sessions SET rotated_at = $2, replaced_by = $3
         WHERE id = $1 AND rotated_at IS NULL AND revoked_at IS NULL`,
        [predecessor.id, rotatedAt, successor.id],
      );
      if (affected !== 1) return false;
      await insertOne(manager, SessionSchema, toSessionRow(successor));
      return true;
    });
  }

  async touch(id: string, lastSeenAt: Date): Promise<void> {
    await sql(this.manager, `UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`, [
      id,
      lastSeenAt,
    ]);
  }

  async revoke(id: string, at: Date): Promise<void> {
    await sql(
      this.manager,
      `UPDATE sessions SET revoked_at = $2 WHERE (id = $1 OR replaced_by = $1) AND revoked_at IS NULL`,
      [id, at],
    );
  }

  async revokeAllForUser(userId: string, at: Date, exceptId?: string): Promise<number> {
    const { affected } = await sql(
      this.manager,
      `UPDATE sessions SET revoked_at = $2
       WHERE user_id = $1 AND revoked_at IS NULL AND ($3::text IS NULL OR id <> $3::text)`,
      [userId, at, exceptId ?? null],
    );
    return affected;
  }

  async listUnrevokedForUser(userId: string, now: Date, limit?: number): Promise<Session[]> {
    // `take: 0` would mean "no limit" to TypeORM.
    if (limit !== undefined && !(limit >= 1)) return [];
    const rows = await this.manager.getRepository(SessionSchema).find({
      where: { userId, revokedAt: IsNull(), rotatedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { createdAt: "DESC", id: "ASC" },
      take: limit === undefined ? undefined : Math.floor(limit),
    });
    return rows.map(toSession);
  }

  // On every sign-in: the live-sessions index (user_id, expires_at) visits only live rows, and
  // `= ANY(ARRAY(…))` updates by primary key (`IN (subquery)` may be planned as a join over the table).
  async revokeBeyondNewest(userId: string, keep: number, now: Date): Promise<string[]> {
    const { rows } = await sql<{ id: string }>(
      this.manager,
      `UPDATE sessions SET revoked_at = $2
       WHERE id = ANY(ARRAY(
         SELECT id FROM sessions
         WHERE user_id = $1 AND revoked_at IS NULL AND rotated_at IS NULL AND expires_at > $2
         ORDER BY created_at DESC, id ASC OFFSET $3))
       RETURNING id`,
      [userId, now, Math.max(0, Math.floor(keep))],
    );
    return rows.map((row) => row.id);
  }
}
