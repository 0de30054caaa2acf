import "reflect-metadata";
import { join } from "node:path";
import { Container } from "inversify";
import Redis from "ioredis";
import type { DataSource } from "typeorm";
import type { RateLimitStore } from "../../application/shared/ports/rate-limit-store.port";
import { SystemClock } from "../clock/system-clock";
import { loadConfig, type AppConfig } from "../config";
import { EMBEDDED_POOL_SIZE, startEmbeddedPostgres, type EmbeddedPostgres } from "../persistence/embedded/embedded-postgres";
import { createDataSource, createTypeOrmStores, deriveOutboxKey, runMigrations } from "../persistence/typeorm";
import { RedisRateLimitStore } from "../rate-limit/redis-rate-limit-store";
import { RetentionScheduler } from "../retention/retention-scheduler";
import { createInvalidationBus, withSessionCache, type InvalidationBus } from "../session-cache";
import { PrometheusTelemetry, type AppLog, type Telemetry } from "../observability";
import { pendingMigrations } from "../persistence/typeorm/data-source";
import { billingModule } from "./modules/billing.module";
import { configModule } from "./modules/config.module";
import { cryptoModule } from "./modules/crypto.module";
import { mailModule } from "./modules/mail.module";
import { persistenceModule } from "./modules/persistence.module";
import { rateLimitModule } from "./modules/rate-limit.module";
import { useCasesModule } from "./modules/use-cases.module";
import { TOKENS, type Token } from "./tokens";

/** The running product: a typed view of the container, and the way to stop it cleanly. */
export interface Auth {
  readonly config: AppConfig;
  readonly container: Container;
  resolve<T>(token: Token<T>): T;
  /** Stops the mail dispatcher and the retention passes, then closes the cache bus, Redis, the pool and the embedded database. */
  shutdown(): Promise<void>;
  /** Resolves when the database answers and every migration is applied; rejects otherwise (readiness). */
  checkReady(): Promise<void>;
}

export interface BootOptions {
  /** Defaults to `loadConfig(process.env)`. */
  readonly config?: AppConfig;
  /** Start the outbox dispatcher (default true); tools and tests may leave mail queued. */
  readonly dispatchMail?: boolean;
  /** Run retention passes every RETENTION_INTERVAL (default true, like the dispatcher). */
  readonly runRetention?: boolean;
  /** The JSON log (default: the console). */
  readonly log?: Pick<AppLog, "info" | "warn" | "error"> & Partial<Pick<AppLog, "debug">>;
  /** Where counts go (default: a registry of this product's own). */
  readonly telemetry?: Telemetry;
}

/**
 * Connects everything the product needs and returns it wired. Closes whatever it opened when any step
 * fails, so a failed boot leaves no socket or timer behind.
 */
export async function boot(options: BootOptions = {}): Promise<Auth> {
  const log: AppLog = { debug: () => undefined, ...(options.log ?? console) };
  const telemetry = options.telemetry ?? new PrometheusTelemetry({ defaultMetrics: false });
  const config = options.config ?? loadConfig();
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) => log.error(`[auth] shutdown step failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  };

  try {
    const clock = new SystemClock();
    const dataSource = await openDatabase(config, closers, log);

    const bus = observedBus(createInvalidationBus({ databaseUrl: config.databaseUrl ?? undefined, redisUrl: config.redisUrl ?? undefined }), log, telemetry);
    closers.push(() => bus.close());
    const typeorm = createTypeOrmStores(dataSource, {
      clock,
      outboxKey: deriveOutboxKey(config.sessionSecret.current),
      seedSecrets: [config.sessionSecret.current, ...config.sessionSecret.previous],
      onEnqueue: (mail) => telemetry.mailQueued(mail.template),
    });
    const cached = withSessionCache({ stores: typeorm.stores, uow: typeorm.uow, bus });

    let rateLimits: RateLimitStore = typeorm.rateLimits;
    if (config.redisUrl) {
      const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectionName: "nextauth-hex rate-limits" });
      redis.on("error", (error) => log.warn(`[auth] redis: ${error.message}`));
      closers.push(async () => void (await redis.quit().catch(() => redis.disconnect())));
      rateLimits = new RedisRateLimitStore(redis);
    }

    const container = new Container();
    const resolve = <T>(token: Token<T>): T => container.get<T>(token);
    container.load(
      configModule(config, log, telemetry),
      cryptoModule(),
      billingModule(),
      persistenceModule({ stores: cached.stores, uow: cached.uow, outbox: typeorm.outbox }),
      rateLimitModule(rateLimits),
      mailModule(),
      useCasesModule(),
    );

    if (options.dispatchMail !== false) {
      const dispatcher = resolve(TOKENS.OutboxDispatcher);
      dispatcher.start();
      // First in the list, so it stops (finishing a batch in flight) before the database closes.
      closers.push(() => dispatcher.stop());
    }
    if (options.runRetention !== false && config.auth.retention.intervalSeconds > 0) {
      const retention = new RetentionScheduler({ pass: resolve(TOKENS.RetentionPass), intervalMs: config.auth.retention.intervalSeconds * 1000, log });
      retention.start();
      // Stops (after its batch in flight) before the database closes.
      closers.push(() => retention.stop());
    }
    telemetry.watch({
      hashing: () => resolve(TOKENS.BoundedPasswordHasher).load(),
      sessionChecks: () => cached.cache.stats,
      busConnected: () => bus.live,
      outbox: () => typeorm.outbox.stats(clock.now()),
    });
    if (!config.mail.smtpUrl) log.info(`[auth] e-mails are kept in the development mailbox (${config.mail.mailboxDir}), not sent`);

    let stopping: Promise<void> | null = null;
    return {
      config,
      container,
      resolve,
      shutdown: () =>
        (stopping ??= closeAll().then(() => log.info("[auth] stopped: mail dispatcher, cache bus and database connections closed", { event: "stop" }))),
      checkReady: async () => {
        const pending = await pendingMigrations(dataSource);
        if (pending > 0) throw new SchemaOutOfDate();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function openDatabase(config: AppConfig, closers: Array<() => Promise<void>>, log: AppLog): Promise<DataSource> {
  let embedded: EmbeddedPostgres | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: join(config.dataDir, "pglite") });
    closers.push(() => embedded!.stop());
    url = embedded.url;
  }
  // Bounded waits: an unreachable or hung database makes a request fail fast (503), never hang.
  const dataSource = createDataSource({ url, poolSize: embedded ? EMBEDDED_POOL_SIZE : 10, applicationName: "nextauth-hex", queryTimeoutMs: 5_000 });
  await dataSource.initialize();
  closers.push(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });
  if (embedded) {
    const applied = await runMigrations(dataSource);
    if (applied > 0) log.info(`[auth] embedded database at ${join(config.dataDir, "pglite")}: ${applied} migration(s) applied`, { event: "migration", applied });
  } else if (await dataSource.showMigrations()) {
    // Production changes its schema on purpose, with `npm run db:migrate`, never as a side effect of a request.
    throw new SchemaOutOfDate();
  }
  return dataSource;
}

/**
 * The bus as the product uses it, observed: how long each fan-out takes (metrics), and a log line
 * whenever invalidations from other instances stop or start arriving again (a reconnect).
 */
function observedBus(bus: InvalidationBus, log: AppLog, telemetry: Telemetry): InvalidationBus {
  let wasLive: boolean | null = null;
  bus.subscribe({
    onNotice() {},
    onLive(live) {
      if (live === wasLive) return;
      if (wasLive !== null || !live) {
        if (live) log.info("[session-cache] invalidation bus connected again; the cache is back in use", { event: "bus.reconnect" });
        else log.warn("[session-cache] invalidation bus lost; sessions are read from the database until it is back", { event: "bus.lost" });
      }
      wasLive = live;
    },
  });
  return {
    get live() {
      return bus.live;
    },
    subscribe: (listener) => bus.subscribe(listener),
    whenLive: (timeoutMs) => bus.whenLive(timeoutMs),
    close: () => bus.close(),
    async publish(notice) {
      const started = performance.now();
      await bus.publish(notice);
      telemetry.fanOut((performance.now() - started) / 1000);
    },
  };
}

export class SchemaOutOfDate extends Error {
  override readonly name = "SchemaOutOfDate";
  constructor() {
    super("The database schema is not up to date: run `npm run db:migrate` with the same DATABASE_URL, then restart.");
  }
}
