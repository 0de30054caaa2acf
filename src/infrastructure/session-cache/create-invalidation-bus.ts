import type { BrokerBusOptions } from "./broker-invalidation-bus";
import { createLocalInvalidationBus, type InvalidationBus } from "./invalidation-bus";
import { createPostgresInvalidationBus } from "./postgres-invalidation-bus";
import { createRedisInvalidationBus } from "./redis-invalidation-bus";

export interface InvalidationBusConfig extends BrokerBusOptions {
  /** A real PostgreSQL shared by every instance; unset for the embedded, single-process database. */
  readonly databaseUrl?: string;
  /** When set, fan-out goes through Redis instead of the database. */
  readonly redisUrl?: string;
}

/** Redis when configured, else LISTEN/NOTIFY on the shared PostgreSQL, else (embedded) local only. */
export function createInvalidationBus(config: InvalidationBusConfig): InvalidationBus {
  const { databaseUrl, redisUrl, ...options } = config;
  if (redisUrl) return createRedisInvalidationBus(redisUrl, options);
  if (databaseUrl) return createPostgresInvalidationBus(databaseUrl, options);
  return createLocalInvalidationBus();
}
