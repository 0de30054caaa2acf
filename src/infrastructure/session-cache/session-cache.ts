import type { SessionSnapshot } from "../../domain/session/session";
import type { UserSnapshot } from "../../domain/identity/user";
import type { InvalidationBus, InvalidationNotice } from "./invalidation-bus";

export interface SessionCacheOptions {
  /**
   * Longest an entry is served without asking the database. Invalidation is what keeps the cache
   * right; this only bounds the damage of a notice lost without the connection noticing (a process
   * killed between its commit and its publish).
   */
  readonly ttlMs?: number;
  /** Entries per kind (sessions, users); the oldest go first. */
  readonly maxEntries?: number;
  /** A database read slower than this is not cached: the invalidation log does not reach back so far. */
  readonly maxReadMs?: number;
  readonly now?: () => number;
}

export interface SessionCacheStats {
  hits: number;
  misses: number;
  /** Reads that went to the database and were not cached: the bus was down or a write raced them. */
  bypasses: number;
  evictions: number;
  clears: number;
}

interface Entry<T> {
  readonly value: T;
  readonly until: number;
}

/** Taken before a database read; the read's result is cached only if nothing it covers changed since. */
export interface ReadTicket {
  readonly seq: number;
  readonly at: number;
}

const SESSION = "s:";
const USER = "u:";
const CREDENTIAL = "c:";

/** A bearer credential's row (API key or device token) as read by its prefix, with its owner. */
export interface CachedCredential<T = unknown> {
  readonly userId: string;
  readonly snapshot: T;
}

/**
 * Session and user rows as last read from the database, forgotten the moment a write to them
 * commits here or is announced by another instance.
 *
 * A read that raced a write must not put the old row back after the eviction: every read takes a
 * ticket (a sequence number) first, every eviction records its keys with a newer sequence number,
 * and a row is cached only if none of its keys (its own id, its user, the session it was rotated
 * to) was evicted after the ticket. While the bus is not live nothing is served or cached at all.
 */
export class SessionCache {
  readonly stats: SessionCacheStats = { hits: 0, misses: 0, bypasses: 0, evictions: 0, clears: 0 };
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxReadMs: number;
  private readonly now: () => number;
  private readonly sessions = new Map<string, Entry<SessionSnapshot>>();
  private readonly users = new Map<string, Entry<UserSnapshot>>();
  private readonly sessionsOfUser = new Map<string, Set<string>>();
  /** `kind:prefix` → the bearer credential's row; evicted with its user (see cached-credentials.ts). */
  private readonly credentials = new Map<string, Entry<CachedCredential>>();
  private readonly credentialsOfUser = new Map<string, Set<string>>();
  /** successor id → ids of cached sessions rotated to it (a revoke of the successor ends them too). */
  private readonly predecessorsOf = new Map<string, Set<string>>();
  /** key → sequence number of its latest eviction, oldest first; pruned after `maxReadMs`. */
  private readonly evicted = new Map<string, { seq: number; at: number }>();
  private seq = 0;
  private clearedSeq = 0;
  private live = false;
  private unsubscribe: (() => void) | null = null;

  constructor(options: SessionCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.maxReadMs = options.maxReadMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /** Follows the bus: its notices evict, and while it is not live the cache is empty and bypassed. */
  attach(bus: InvalidationBus): this {
    this.unsubscribe?.();
    this.unsubscribe = bus.subscribe({
      onNotice: (notice) => this.apply(notice),
      onLive: (live) => this.setLive(live),
    });
    return this;
  }

  detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.setLive(false);
  }

  get isLive(): boolean {
    return this.live;
  }

  get size(): { sessions: number; users: number } {
    return { sessions: this.sessions.size, users: this.users.size };
  }

  getSession(id: string): SessionSnapshot | undefined {
    return this.lookup(this.sessions, id);
  }

  getUser(id: string): UserSnapshot | undefined {
    return this.lookup(this.users, id);
  }

  getCredential<T>(key: string): CachedCredential<T> | undefined {
    return this.lookup(this.credentials, key) as CachedCredential<T> | undefined;
  }

  fillCredential(ticket: ReadTicket, key: string, credential: CachedCredential): void {
    if (!this.mayFill(ticket, [CREDENTIAL + key, USER + credential.userId])) return;
    this.removeCredential(key);
    this.store(this.credentials, key, credential);
    index(this.credentialsOfUser, credential.userId, key);
  }

  /** This instance wrote a newer row itself (a last-use time): keep serving it, nobody else needs telling. */
  refreshCredential(key: string, credential: CachedCredential): void {
    const entry = this.credentials.get(key);
    if (entry) this.credentials.set(key, { value: credential, until: entry.until });
  }

  beginRead(): ReadTicket {
    return { seq: this.seq, at: this.now() };
  }

  fillSession(ticket: ReadTicket, snapshot: SessionSnapshot): void {
    const keys = [SESSION + snapshot.id, USER + snapshot.userId];
    if (snapshot.replacedBy !== null) keys.push(SESSION + snapshot.replacedBy);
    if (!this.mayFill(ticket, keys)) return;
    this.removeSession(snapshot.id);
    this.store(this.sessions, snapshot.id, snapshot);
    index(this.sessionsOfUser, snapshot.userId, snapshot.id);
    if (snapshot.replacedBy !== null) index(this.predecessorsOf, snapshot.replacedBy, snapshot.id);
  }

  fillUser(ticket: ReadTicket, snapshot: UserSnapshot): void {
    if (!this.mayFill(ticket, [USER + snapshot.id])) return;
    this.store(this.users, snapshot.id, snapshot);
  }

  /** Forgets what a notice names; from here on no read that started earlier may cache those rows. */
  apply(notice: InvalidationNotice): void {
    if (notice.all) {
      this.clear();
      return;
    }
    const seq = ++this.seq;
    const at = this.now();
    for (const id of notice.sessions ?? []) {
      this.markEvicted(SESSION + id, seq, at);
      this.removeSession(id);
      for (const predecessor of this.predecessorsOf.get(id) ?? []) this.removeSession(predecessor);
      this.stats.evictions++;
    }
    for (const id of notice.users ?? []) {
      this.markEvicted(USER + id, seq, at);
      this.users.delete(id);
      for (const session of [...(this.sessionsOfUser.get(id) ?? [])]) this.removeSession(session);
      for (const credential of [...(this.credentialsOfUser.get(id) ?? [])]) this.removeCredential(credential);
      this.stats.evictions++;
    }
    this.prune(at);
  }

  clear(): void {
    this.clearedSeq = ++this.seq;
    this.sessions.clear();
    this.users.clear();
    this.sessionsOfUser.clear();
    this.credentials.clear();
    this.credentialsOfUser.clear();
    this.predecessorsOf.clear();
    this.evicted.clear();
    this.stats.clears++;
  }

  private setLive(live: boolean): void {
    // Cleared on both edges: going down, so nothing stale outlives the outage; coming back, so
    // nothing read while notices could have been missed is kept.
    this.clear();
    this.live = live;
  }

  private lookup<T>(map: Map<string, Entry<T>>, id: string): T | undefined {
    if (!this.live) {
      this.stats.bypasses++;
      return undefined;
    }
    const entry = map.get(id);
    if (entry && entry.until > this.now()) {
      this.stats.hits++;
      return entry.value;
    }
    this.stats.misses++;
    return undefined;
  }

  private mayFill(ticket: ReadTicket, keys: readonly string[]): boolean {
    const fresh =
      this.live &&
      ticket.seq >= this.clearedSeq &&
      this.now() - ticket.at <= this.maxReadMs &&
      keys.every((key) => (this.evicted.get(key)?.seq ?? -1) <= ticket.seq);
    if (!fresh) this.stats.bypasses++;
    return fresh;
  }

  private store<T>(map: Map<string, Entry<T>>, id: string, value: T): void {
    map.delete(id);
    map.set(id, { value, until: this.now() + this.ttlMs });
    if (map.size > this.maxEntries) {
      const oldest = map.keys().next().value as string;
      if (map === (this.sessions as Map<string, unknown>)) this.removeSession(oldest);
      else if (map === (this.credentials as Map<string, unknown>)) this.removeCredential(oldest);
      else map.delete(oldest);
    }
  }

  private removeSession(id: string): void {
    const entry = this.sessions.get(id);
    if (!entry) return;
    this.sessions.delete(id);
    unindex(this.sessionsOfUser, entry.value.userId, id);
    if (entry.value.replacedBy !== null) unindex(this.predecessorsOf, entry.value.replacedBy, id);
  }

  private removeCredential(key: string): void {
    const entry = this.credentials.get(key);
    if (!entry) return;
    this.credentials.delete(key);
    unindex(this.credentialsOfUser, entry.value.userId, key);
  }

  private markEvicted(key: string, seq: number, at: number): void {
    // Re-inserted so the map stays ordered by eviction time and pruning stops at the first young one.
    this.evicted.delete(key);
    this.evicted.set(key, { seq, at });
  }

  private prune(at: number): void {
    for (const [key, mark] of this.evicted) {
      if (at - mark.at <= this.maxReadMs) break;
      this.evicted.delete(key);
    }
  }
}

function index(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function unindex(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
