import type { Session } from "../../../domain/session/session";

export interface SessionRepository {
  insert(session: Session): Promise<void>;
  findById(id: string): Promise<Session | null>;
  /**
   * Atomically marks `predecessor` as rotated to `successor` and inserts the successor, but only if
   * the predecessor is still unrotated and unrevoked (compare-and-set). Returns false when another
   * request rotated it first, so concurrent requests never fork a session.
   */
  rotate(predecessor: Session, successor: Session): Promise<boolean>;
  /** Persists a newer lastSeenAt (never moves it backwards). */
  touch(id: string, lastSeenAt: Date): Promise<void>;
  /** Revokes the session and any predecessor still inside its rotation grace (replacedBy = id). */
  revoke(id: string, at: Date): Promise<void>;
  /** Revokes every unrevoked session of the user except `exceptId`; returns how many. */
  revokeAllForUser(userId: string, at: Date, exceptId?: string): Promise<number>;
  /** Unrevoked sessions whose absolute expiry is after `now`, not rotated out, newest first; at most `limit` when given. */
  listUnrevokedForUser(userId: string, now: Date, limit?: number): Promise<Session[]>;
  /**
   * Revokes, at `now`, the user's live sessions (as listed above) beyond the newest `keep`, oldest
   * first to go; returns the ids it revoked.
   */
  revokeBeyondNewest(userId: string, keep: number, now: Date): Promise<string[]>;
}
