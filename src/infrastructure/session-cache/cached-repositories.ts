import type { SessionRepository } from "../../application/shared/ports/session-repository.port";
import type { UserRepository } from "../../application/shared/ports/user-repository.port";
import type { EmailTaken } from "../../domain/shared/domain-error";
import type { Result } from "../../domain/shared/result";
import { Session } from "../../domain/session/session";
import type { Email } from "../../domain/identity/email";
import { User } from "../../domain/identity/user";
import type { InvalidationNotice } from "./invalidation-bus";
import type { SessionCache } from "./session-cache";

/**
 * Where a decorated store reports what it wrote. Outside a transaction the write is already durable
 * when it returns, so the report is acted on at once; inside one it is collected and acted on once
 * the transaction has settled.
 */
export interface WriteReport {
  wrote(notice: InvalidationNotice): Promise<void>;
}

/**
 * Reads by id come from the cache when it has the row; every write goes to the database first and
 * then, succeeded or not (a failed write may still have committed), is reported for eviction.
 * `cache` is null for transactional stores: what a transaction reads may never commit, and reads
 * inside it must see the database itself.
 */
export class CachedSessionRepository implements SessionRepository {
  constructor(
    private readonly inner: SessionRepository,
    private readonly cache: SessionCache | null,
    private readonly report: WriteReport,
  ) {}

  async findById(id: string): Promise<Session | null> {
    if (!this.cache) return this.inner.findById(id);
    const cached = this.cache.getSession(id);
    if (cached) return Session.restore(cached);
    const ticket = this.cache.beginRead();
    const session = await this.inner.findById(id);
    if (session) this.cache.fillSession(ticket, session.toSnapshot());
    return session;
  }

  listUnrevokedForUser(userId: string, now: Date, limit?: number): Promise<Session[]> {
    return this.inner.listUnrevokedForUser(userId, now, limit);
  }

  async revokeBeyondNewest(userId: string, keep: number, now: Date): Promise<string[]> {
    let revoked: string[] = [];
    try {
      revoked = await this.inner.revokeBeyondNewest(userId, keep, now);
      return revoked;
    } finally {
      // Nothing to tell the other instances on the usual sign-in, where nothing was ended.
      if (revoked.length > 0) await this.report.wrote({ sessions: revoked, confirm: true });
    }
  }

  insert(session: Session): Promise<void> {
    // A new id cannot be cached anywhere yet, and missing rows are never cached.
    return this.inner.insert(session);
  }

  rotate(predecessor: Session, successor: Session): Promise<boolean> {
    // Also when the compare-and-set lost: the caller then re-reads a row we may hold stale.
    return this.write(() => this.inner.rotate(predecessor, successor), { sessions: [predecessor.id, successor.id], confirm: true });
  }

  touch(id: string, lastSeenAt: Date): Promise<void> {
    // Nobody has to wait for other instances to learn a newer last-seen time.
    return this.write(() => this.inner.touch(id, lastSeenAt), { sessions: [id] });
  }

  revoke(id: string, at: Date): Promise<void> {
    return this.write(() => this.inner.revoke(id, at), { sessions: [id], confirm: true });
  }

  revokeAllForUser(userId: string, at: Date, exceptId?: string): Promise<number> {
    return this.write(() => this.inner.revokeAllForUser(userId, at, exceptId), { users: [userId], confirm: true });
  }

  private async write<T>(work: () => Promise<T>, notice: InvalidationNotice): Promise<T> {
    try {
      return await work();
    } finally {
      await this.report.wrote(notice);
    }
  }
}

export class CachedUserRepository implements UserRepository {
  constructor(
    private readonly inner: UserRepository,
    private readonly cache: SessionCache | null,
    private readonly report: WriteReport,
  ) {}

  async findById(id: string): Promise<User | null> {
    if (!this.cache) return this.inner.findById(id);
    const cached = this.cache.getUser(id);
    if (cached) return User.restore(cached);
    const ticket = this.cache.beginRead();
    const user = await this.inner.findById(id);
    if (user) this.cache.fillUser(ticket, user.toSnapshot());
    return user;
  }

  findByEmail(email: Email): Promise<User | null> {
    // Sign-in and reset read by e-mail; they are rare and must see the current password hash.
    return this.inner.findByEmail(email);
  }

  findLookAlike(email: Email): Promise<User | null> {
    return this.inner.findLookAlike(email);
  }

  insert(user: User): Promise<Result<void, EmailTaken>> {
    return this.inner.insert(user);
  }

  save(user: User): Promise<void> {
    return this.write(() => this.inner.save(user), { users: [user.id], confirm: true });
  }

  saveNewEmail(user: User): Promise<Result<void, EmailTaken>> {
    return this.write(() => this.inner.saveNewEmail(user), { users: [user.id], confirm: true });
  }

  delete(id: string): Promise<void> {
    return this.write(() => this.inner.delete(id), { users: [id], confirm: true });
  }

  private async write<T>(work: () => Promise<T>, notice: InvalidationNotice): Promise<T> {
    try {
      return await work();
    } finally {
      await this.report.wrote(notice);
    }
  }
}
