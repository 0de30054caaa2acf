import type { SessionRepository } from "../../../application/shared/ports/session-repository.port";
import { Session } from "../../../domain/session/session";
import type { TableAccess } from "./in-memory-database";

export class InMemorySessionRepository implements SessionRepository {
  constructor(private readonly access: TableAccess) {}

  async insert(session: Session): Promise<void> {
    const snapshot = session.toSnapshot();
    if (this.access.has("sessions", snapshot.id)) throw new Error(`duplicate session id ${snapshot.id}`);
    this.assertUserExists(snapshot.userId);
    this.access.set("sessions", snapshot.id, snapshot);
  }

  async findById(id: string): Promise<Session | null> {
    const row = this.access.get("sessions", id);
    return row ? Session.restore(row) : null;
  }

  async rotate(predecessor: Session, successor: Session): Promise<boolean> {
    const current = this.access.get("sessions", predecessor.id);
    // Compare-and-set in one synchronous step: no other caller can run between the check and the write.
    if (!current || current.rotatedAt !== null || current.revokedAt !== null) return false;
    const next = successor.toSnapshot();
    if (this.access.has("sessions", next.id)) throw new Error(`duplicate session id ${next.id}`);
    this.access.set("sessions", current.id, {
      ...current,
      rotatedAt: predecessor.rotatedAt ?? next.createdAt,
      replacedBy: next.id,
    });
    this.access.set("sessions", next.id, next);
    return true;
  }

  async touch(id: string, lastSeenAt: Date): Promise<void> {
    const current = this.access.get("sessions", id);
    if (!current || lastSeenAt <= current.lastSeenAt) return;
    this.access.set("sessions", id, { ...current, lastSeenAt });
  }

  async revoke(id: string, at: Date): Promise<void> {
    for (const row of this.access.rows("sessions")) {
      if ((row.id === id || row.replacedBy === id) && row.revokedAt === null) {
        this.access.set("sessions", row.id, { ...row, revokedAt: at });
      }
    }
  }

  async revokeAllForUser(userId: string, at: Date, exceptId?: string): Promise<number> {
    let count = 0;
    for (const row of this.access.rows("sessions")) {
      if (row.userId === userId && row.revokedAt === null && row.id !== exceptId) {
        this.access.set("sessions", row.id, { ...row, revokedAt: at });
        count++;
      }
    }
    return count;
  }

  async listUnrevokedForUser(userId: string, now: Date, limit?: number): Promise<Session[]> {
    return this.live(userId, now)
      .slice(0, limit === undefined ? undefined : Math.max(0, Math.floor(limit)))
      .map((row) => Session.restore(row));
  }

  async revokeBeyondNewest(userId: string, keep: number, now: Date): Promise<string[]> {
    const beyond = this.live(userId, now).slice(Math.max(0, Math.floor(keep)));
    for (const row of beyond) this.access.set("sessions", row.id, { ...row, revokedAt: now });
    return beyond.map((row) => row.id);
  }

  /** Newest first; ties by id, as the SQL adapter orders them. */
  private live(userId: string, now: Date) {
    return this.access
      .rows("sessions")
      .filter((row) => row.userId === userId && row.revokedAt === null && row.rotatedAt === null && row.expiresAt > now)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private assertUserExists(userId: string): void {
    if (!this.access.has("users", userId)) throw new Error(`foreign key violation: no user ${userId}`);
  }
}
