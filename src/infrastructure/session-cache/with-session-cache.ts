import type { Stores, UnitOfWork } from "../persistence/stores";
import { CachedApiKeyRepository, CachedDeviceTokenRepository } from "./cached-credentials";
import { CachedSessionRepository, CachedUserRepository, type WriteReport } from "./cached-repositories";
import type { InvalidationBus, InvalidationNotice } from "./invalidation-bus";
import { SessionCache, type SessionCacheOptions } from "./session-cache";

export interface SessionCacheSetup extends SessionCacheOptions {
  readonly stores: Stores;
  readonly uow: UnitOfWork;
  /** Local for a single instance; PostgreSQL or Redis when several instances share the database. */
  readonly bus: InvalidationBus;
}

export interface CachedPersistence {
  readonly stores: Stores;
  readonly uow: UnitOfWork;
  /** For metrics and tests; the application never needs it. */
  readonly cache: SessionCache;
}

/**
 * Puts the session cache in front of the session, user, API-key and device-token repositories, outside and inside units
 * of work, without the application knowing: it keeps calling the same ports.
 */
export function withSessionCache(setup: SessionCacheSetup): CachedPersistence {
  const { stores, uow, bus, ...options } = setup;
  const ttlMs = options.ttlMs ?? sessionCacheTtlFromEnv();
  if (ttlMs === 0) return { stores, uow, cache: new SessionCache() };
  const cache = new SessionCache({ ...options, ttlMs }).attach(bus);

  const settle = async (notice: InvalidationNotice): Promise<void> => {
    cache.apply(notice);
    await bus.publish(notice);
  };
  const immediately: WriteReport = { wrote: settle };

  return {
    cache,
    stores: {
      ...stores,
      sessions: new CachedSessionRepository(stores.sessions, cache, immediately),
      users: new CachedUserRepository(stores.users, cache, immediately),
      apiKeys: new CachedApiKeyRepository(stores.apiKeys, cache, immediately),
      deviceTokens: new CachedDeviceTokenRepository(stores.deviceTokens, cache, immediately),
    },
    uow: new CachedUnitOfWork(uow, settle),
  };
}

/**
 * `SESSION_CACHE_TTL_MS`: how long a cached row may be served (default 30000); 0 turns the cache off
 * entirely, which is how the benchmarks measure "before the cache". Read here while the validated
 * configuration does not carry it yet; a bad value stops the start with one line, like the others.
 */
export function sessionCacheTtlFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number | undefined {
  const raw = env.SESSION_CACHE_TTL_MS;
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 3_600_000) {
    throw new RangeError(`SESSION_CACHE_TTL_MS must be an integer from 0 (cache off) to 3600000 ms; got "${raw}"`);
  }
  return value;
}

/**
 * Hands out transactional stores whose session and user writes are collected, then evicts and
 * broadcasts them once the transaction is over: after the commit, so no other request can read the
 * old row back into the cache afterwards. A rolled-back transaction is evicted too; it costs a
 * cache miss and spares reasoning about partial failures.
 */
class CachedUnitOfWork implements UnitOfWork {
  constructor(
    private readonly inner: UnitOfWork,
    private readonly settle: (notice: InvalidationNotice) => Promise<void>,
  ) {}

  async run<T>(work: (stores: Stores) => Promise<T>): Promise<T> {
    const sessions = new Set<string>();
    const users = new Set<string>();
    let confirm = false;
    const collect: WriteReport = {
      async wrote(notice) {
        for (const id of notice.sessions ?? []) sessions.add(id);
        for (const id of notice.users ?? []) users.add(id);
        confirm ||= notice.confirm === true;
      },
    };
    try {
      return await this.inner.run((stores) =>
        work({
          ...stores,
          sessions: new CachedSessionRepository(stores.sessions, null, collect),
          users: new CachedUserRepository(stores.users, null, collect),
          apiKeys: new CachedApiKeyRepository(stores.apiKeys, null, collect),
          deviceTokens: new CachedDeviceTokenRepository(stores.deviceTokens, null, collect),
        }),
      );
    } finally {
      if (sessions.size > 0 || users.size > 0) await this.settle({ sessions: [...sessions], users: [...users], confirm });
    }
  }
}
