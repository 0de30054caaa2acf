import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { EMBEDDED_MAX_CONNECTIONS } from "./embedded-pool";

export { EMBEDDED_MAX_CONNECTIONS, EMBEDDED_POOL_SIZE } from "./embedded-pool";

export interface EmbeddedPostgresOptions {
  /** Where the database lives on disk (created if missing); omit for a throw-away in-memory database. */
  readonly dataDir?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /**
   * Connections the server accepts (default `EMBEDDED_MAX_CONNECTIONS`). A connection past the limit
   * is dropped ("Connection terminated unexpectedly").
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
 * - the socket server queues each protocol message on its own and keeps one connection's messages
 *   together only inside a transaction: two connections' extended-query batches (Parse/Bind/Execute/
 *   Sync) sent at the same time interleave, which fails statements ("unnamed prepared statement does
 *   not exist"), can stall the queue for good, and can hand one statement another's rows. Hence the
 *   pool in front of it has ONE connection (`EMBEDDED_POOL_SIZE`): the pg driver sends a connection's
 *   next query only after the last one answered, so what reaches PGlite is one statement, or one
 *   transaction, at a time. Waiting requests queue in the pool, bounded by its connect timeout (5 s,
 *   then a 503); PGlite runs one statement at a time anyway, so a larger pool bought no throughput;
 * - one transaction at a time: a transaction left open stalls every other request, so units of
 *   work must always commit or roll back;
 * - inside a unit of work, a statement outside it (the rate-limit store, a store not bound to the
 *   transaction) waits for the pool's only connection, which the transaction holds: it fails after the
 *   connect timeout. Hit rate limits before or after `uow.run`, never inside it;
 * - advisory locks do not exclude each other (one session), hence `runMigrations` also queues in-process
 *   and runs the migrations on the connection that holds the lock;
 * - the server accepts one connection more than the pool (`EMBEDDED_MAX_CONNECTIONS`), so a connection
 *   that replaces a broken one is not refused while the server still counts the old one;
 * - nothing listens for notifications: the session cache's invalidation stays in-process (one instance).
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
    maxConnections: options.maxConnections ?? EMBEDDED_MAX_CONNECTIONS,
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
