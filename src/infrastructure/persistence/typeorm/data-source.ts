import { DataSource, MigrationExecutor } from "typeorm";
import { MIGRATIONS } from "../migrations";
import { PERSISTENCE_SCHEMAS } from "./schemas";

export interface CreateDataSourceOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly url: string;
  /** Connections in the pool; against the embedded server keep it below its `maxConnections`. Default 10. */
  readonly poolSize?: number;
  /** Log every SQL statement (development only: parameters may hold hashes and e-mail addresses). */
  readonly logging?: boolean;
  readonly applicationName?: string;
  /**
   * How long to wait for a connection, new or from the pool (default 5 s). pg waits for ever by
   * default: a database host that accepts and never answers would hang every request.
   */
  readonly connectTimeoutMs?: number;
  /**
   * How long one query may wait for its answer; unset, no limit (migrations may run long). The app sets
   * it so a partition in the middle of a connection ends requests with a 503 instead of hanging them.
   */
  readonly queryTimeoutMs?: number;
}

/**
 * An uninitialised DataSource for PostgreSQL (real or embedded, both reached through `pg`). Schema
 * changes come only from migrations: never `synchronize`.
 */
export function createDataSource(options: CreateDataSourceOptions): DataSource {
  return new DataSource({
    type: "postgres",
    url: options.url,
    entities: PERSISTENCE_SCHEMAS,
    migrations: MIGRATIONS,
    migrationsTableName: "migrations",
    migrationsTransactionMode: "each",
    synchronize: false,
    migrationsRun: false,
    logging: options.logging ?? false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? "nextauth-hex",
    connectTimeoutMS: options.connectTimeoutMs ?? 5_000,
    extra: options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {},
  });
}

// Any fixed number; it names this application's migration lock among PostgreSQL advisory locks.
const MIGRATION_LOCK = 7_262_011;
// The embedded server gives every connection the same backend, so the advisory lock cannot keep two
// DataSources of one process apart there: they also take turns here.
let migrationsInProcess: Promise<unknown> = Promise.resolve();

/**
 * Applies pending migrations of an initialised DataSource; returns how many ran. Instances starting
 * together take turns on an advisory lock, so only the first migrates and the rest find it done.
 * The migrations run on the connection that holds the lock: the embedded database's pool has only that one.
 */
export function runMigrations(dataSource: DataSource): Promise<number> {
  const turn = migrationsInProcess.then(() => migrateUnderLock(dataSource));
  migrationsInProcess = turn.catch(() => undefined);
  return turn;
}

async function migrateUnderLock(dataSource: DataSource): Promise<number> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = "each";
      const applied = await executor.executePendingMigrations();
      return applied.length;
    } finally {
      await runner.query(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * How many of this build's migrations the database has not applied: one read of the migrations
 * table, no write (TypeORM's `showMigrations` would create the table when missing). A database that
 * does not answer makes it reject.
 */
export async function pendingMigrations(dataSource: DataSource): Promise<number> {
  const rows = (await dataSource.query(`SELECT name FROM migrations`)) as Array<{ name: string }>;
  const applied = new Set(rows.map((row) => row.name));
  return dataSource.migrations.filter((migration) => !applied.has(migration.name ?? migration.constructor.name)).length;
}
