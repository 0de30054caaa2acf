export { sessionCacheTtlFromEnv, withSessionCache, type CachedPersistence, type SessionCacheSetup } from "./with-session-cache";
export { SessionCache, type SessionCacheOptions, type SessionCacheStats } from "./session-cache";
export {
  createLocalInvalidationBus,
  type InvalidationBus,
  type InvalidationListener,
  type InvalidationNotice,
} from "./invalidation-bus";
export { DEFAULT_CHANNEL, type BrokerBusOptions } from "./broker-invalidation-bus";
export { createPostgresInvalidationBus, PostgresInvalidationBus } from "./postgres-invalidation-bus";
export { createRedisInvalidationBus, RedisInvalidationBus } from "./redis-invalidation-bus";
export { createInvalidationBus, type InvalidationBusConfig } from "./create-invalidation-bus";
export { invalidationTriggerSql } from "./invalidation-trigger";
