import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgresOptions {
  /** Where the database lives on disk (created if missing); omit for a throw-away in-memory database. */
  readonly dataDir?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /**
   * Connections the server accepts. The pool in front of it must stay below this: a connection past
   * the limit is dropped ("Connection terminated unexpectedly"). Default 10, for a pool of 4.
   */
  readonly maxConnections?: number;
  /**
   * A data directory dumped earlier (`PGlite#dumpDataDir`) to start from, for an in-memory database:
   * skips initdb, which is most of the start-up time (tests start one server per file).
   */
  readonly loadDataDir?: Blob;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, for the ordinary `pg` driver. */
  readonly url: string;
  /** Closes client connections, the listener and the database, in that order. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite) behind a socket speaking the wire protocol on
 * 127.0.0.1, so the embedded default and a real server share one driver, one SQL dialect and one
 * set of migrations. The caller applies migrations.
 *
 * What differs from a real server (all connections share PGlite's one backend):
 * - one transaction at a time across all connections: a transaction left open stalls every other
 *   client, so units of work must always commit or roll back;
 * - inside a unit of work, a statement on another connection (the rate-limit store, a store outside
 *   the transaction) waits for that very transaction to end: it never returns. Hit rate limits
 *   before or after `uow.run`, never inside it;
 * - advisory locks do not exclude each other (one session), hence `runMigrations` also queues in-process;
 * - the pool in front must be smaller than `maxConnections`.
 * The `typeorm-pglite` driver is not used on purpose: it lost rollbacks under concurrency.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  // PGlite creates only the last folder of the path; a fresh DATA_DIR may not exist yet.
  if (options.dataDir) mkdirSync(dirname(options.dataDir), { recursive: true, mode: 0o700 });
  const db = options.dataDir
    ? await PGlite.create(options.dataDir)
    : await PGlite.create(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 10,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  let stopping: Promise<void> | null = null;
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    stop() {
      stopping ??= (async () => {
        await server.stop();
        if (!db.closed) await db.close();
      })();
      return stopping;
    },
  };
}
