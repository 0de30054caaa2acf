import type { DataSource } from "typeorm";
import { EMBEDDED_POOL_SIZE, startEmbeddedPostgres } from "../embedded/embedded-postgres";
import { createDataSource, runMigrations } from "./data-source";

export interface OpenDatabaseOptions {
  /** A real PostgreSQL (`DATABASE_URL`); when absent the embedded one under `embeddedDataDir` is used. */
  readonly url?: string;
  /** Where the embedded database keeps its files, e.g. `.data/pglite`. */
  readonly embeddedDataDir: string;
  /** Pool size for a real server (default 10); the embedded one always gets `EMBEDDED_POOL_SIZE` (one). */
  readonly poolSize?: number;
  readonly logging?: boolean;
}

export interface OpenDatabase {
  /** Initialised and migrated. */
  readonly dataSource: DataSource;
  readonly embedded: boolean;
  /** Closes the pool, then the embedded server if there is one. */
  close(): Promise<void>;
}

/** The one way the app gets its database: real when configured, embedded otherwise; migrated either way. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenDatabase> {
  const embedded = options.url
    ? null
    : await startEmbeddedPostgres({ dataDir: options.embeddedDataDir });
  const dataSource = createDataSource({
    url: options.url ?? embedded!.url,
    poolSize: embedded ? EMBEDDED_POOL_SIZE : options.poolSize,
    logging: options.logging,
  });
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    dataSource,
    embedded: embedded !== null,
    close() {
      closing ??= (async () => {
        if (dataSource.isInitialized) await dataSource.destroy();
        await embedded?.stop();
      })();
      return closing;
    },
  };
}
