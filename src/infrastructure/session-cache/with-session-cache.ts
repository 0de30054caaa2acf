import type { Stores, UnitOfWork } from "../../application/ports/unit-of-work.port";
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
 * Puts the session cache in front of the session and user repositories, outside and inside units
 * of work, without the application knowing: it keeps calling the same ports.
 */
export function withSessionCache(setup: SessionCacheSetup): CachedPersistence {
  const { stores, uow, bus, ...options } = setup;
  const cache = new SessionCache(options).attach(bus);

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
    },
    uow: new CachedUnitOfWork(uow, settle),
  };
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
    const collect: WriteReport = {
      async wrote(notice) {
        for (const id of notice.sessions ?? []) sessions.add(id);
        for (const id of notice.users ?? []) users.add(id);
      },
    };
    try {
      return await this.inner.run((stores) =>
        work({
          ...stores,
          sessions: new CachedSessionRepository(stores.sessions, null, collect),
          users: new CachedUserRepository(stores.users, null, collect),
        }),
      );
    } finally {
      if (sessions.size > 0 || users.size > 0) await this.settle({ sessions: [...sessions], users: [...users] });
    }
  }
}
