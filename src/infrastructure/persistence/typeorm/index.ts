export { createDataSource, runMigrations, type CreateDataSourceOptions } from "./data-source";
export { deriveOutboxKey, OutboxCipher } from "./outbox-cipher";
export { PostgresRateLimitStore } from "./postgres-rate-limit-store";
export { TypeOrmApiKeyRepository } from "./typeorm-api-key.repository";
export { TypeOrmAuthEventLog } from "./typeorm-auth-event-log";
export { TypeOrmOutbox } from "./typeorm-outbox";
export { TypeOrmSessionRepository } from "./typeorm-session.repository";
export {
  bindTypeOrmStores,
  createTypeOrmStores,
  type TypeOrmStoreSet,
  type TypeOrmStores,
  type TypeOrmStoresOptions,
} from "./typeorm-stores";
export { TypeOrmUnitOfWork } from "./typeorm-unit-of-work";
export { TypeOrmUserRepository } from "./typeorm-user.repository";
export { TypeOrmVerificationTokenRepository } from "./typeorm-verification-token.repository";
export { openDatabase, type OpenDatabase, type OpenDatabaseOptions } from "./open-database";
