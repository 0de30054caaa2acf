export { createDataSource, runMigrations, type CreateDataSourceOptions } from "./data-source";
export { deriveOutboxKey, OutboxCipher } from "./outbox-cipher";
export { deriveTotpSeedKey, TotpSeedCipher } from "./totp-seed-cipher";
export { PostgresRateLimitStore } from "./postgres-rate-limit-store";
export { TypeOrmApiKeyRepository } from "./repositories/typeorm-api-key.repository";
export { TypeOrmAuthEventLog } from "./repositories/typeorm-auth-event-log";
export { TypeOrmOutbox } from "./repositories/typeorm-outbox";
export { TypeOrmRetentionStore } from "./repositories/typeorm-retention-store";
export { TypeOrmSessionRepository } from "./repositories/typeorm-session.repository";
export {
  bindTypeOrmStores,
  createTypeOrmStores,
  type TypeOrmStoreSet,
  type TypeOrmStores,
  type TypeOrmStoresOptions,
} from "./typeorm-stores";
export { TypeOrmUnitOfWork } from "./typeorm-unit-of-work";
export { TypeOrmUserRepository } from "./repositories/typeorm-user.repository";
export { TypeOrmVerificationTokenRepository } from "./repositories/typeorm-verification-token.repository";
export { openDatabase, type OpenDatabase, type OpenDatabaseOptions } from "./open-database";
