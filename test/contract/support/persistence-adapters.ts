import type { DataSource } from "typeorm";
import type { RateLimitStore } from "../../../src/application/shared/ports/rate-limit-store.port";
import type { Stores, UnitOfWork } from "../../../src/infrastructure/persistence/stores";
import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import type { OutboxQueue } from "../../../src/infrastructure/mail/outbox-queue";
import { createInMemoryStores } from "../../../src/infrastructure/persistence/in-memory";
import {
  createDataSource,
  createTypeOrmStores,
  deriveOutboxKey,
  PostgresRateLimitStore,
  runMigrations,
} from "../../../src/infrastructure/persistence/typeorm";
import { RedisRateLimitStore } from "../../../src/infrastructure/rate-limit/redis-rate-limit-store";
import { createTestDatabase, postgresAvailable } from "../../support/postgres";
import { connectTestRedis, redisAvailable } from "../../support/redis";
import { spawnEmbeddedPostgres } from "./embedded-process";
import { EMBEDDED_POOL_SIZE } from "../../../src/infrastructure/persistence/embedded/embedded-pool";

export const OUTBOX_SECRET = "contract-suite-secret-of-at-least-32-bytes!";

/** What one test sees: fresh, empty stores and a clock that moves only when told to. */
export interface PersistenceContext {
  stores: Stores;
  uow: UnitOfWork;
  outbox: OutboxQueue;
  clock: ControllableClock;
  /** The rate-limit counters beside these stores (the table on SQL adapters). */
  rateLimits: RateLimitStore;
  /** Set on SQL adapters only, for checks of what is at rest. */
  dataSource?: DataSource;
}

interface Opened<T> {
  fresh(): Promise<T>;
  close(): Promise<void>;
}

export interface Adapter<T> {
  readonly name: string;
  readonly sql: boolean;
  open(): Promise<Opened<T>>;
}

// Children before parents; DELETE because on tables this small it is much cheaper than TRUNCATE.
const EMPTY_ALL = [
  "sessions",
  "verification_tokens",
  "api_keys",
  "device_tokens",
  "device_authorizations",
  "team_subscriptions",
  "billing_events",
  "team_invitations",
  "team_memberships",
  "teams",
  "recovery_codes",
  "totp_factors",
  "passkeys",
  "passkey_challenges",
  "users",
  "outbox",
  "auth_events",
  "rate_limits",
  "leases",
]
  .map((table) => `DELETE FROM ${table};`)
  .join(" ");

/** One database per test file (migrated once); tables are emptied before each test. */
async function openSql(url: string, poolSize: number): Promise<{ dataSource: DataSource; truncate(): Promise<void> }> {
  const dataSource = createDataSource({ url, poolSize });
  await dataSource.initialize();
  await runMigrations(dataSource);
  return { dataSource, truncate: () => dataSource.query(EMPTY_ALL).then(() => undefined) };
}

function sqlPersistence(dataSource: DataSource, truncate: () => Promise<void>) {
  return async (): Promise<PersistenceContext> => {
    await truncate();
    const clock = new ControllableClock();
    const { stores, uow, outbox, rateLimits } = createTypeOrmStores(dataSource, { clock, outboxKey: deriveOutboxKey(OUTBOX_SECRET), seedSecrets: [OUTBOX_SECRET] });
    return { stores, uow, outbox, rateLimits, clock, dataSource };
  };
}

const inMemory: Adapter<PersistenceContext> = {
  name: "in-memory",
  sql: false,
  async open() {
    return {
      async fresh() {
        const clock = new ControllableClock();
        const { stores, uow, outbox, rateLimits } = createInMemoryStores({ clock });
        return { stores, uow, outbox, rateLimits, clock };
      },
      async close() {},
    };
  },
};

const embedded: Adapter<PersistenceContext> = {
  name: "embedded PGlite",
  sql: true,
  async open() {
    const server = await spawnEmbeddedPostgres();
    const { dataSource, truncate } = await openSql(server.url, EMBEDDED_POOL_SIZE);
    return {
      fresh: sqlPersistence(dataSource, truncate),
      async close() {
        await dataSource.destroy();
        await server.stop();
      },
    };
  },
};

const postgres: Adapter<PersistenceContext> = {
  name: "PostgreSQL",
  sql: true,
  async open() {
    const database = await createTestDatabase("contract");
    // Large enough that the concurrency tests really run side by side on separate connections.
    const { dataSource, truncate } = await openSql(database.url, 25);
    return {
      fresh: sqlPersistence(dataSource, truncate),
      async close() {
        await dataSource.destroy();
        await database.drop();
      },
    };
  },
};

/** In-memory and embedded PGlite always; real PostgreSQL when reachable (required with CI=true). */
export function persistenceAdapters(): Adapter<PersistenceContext>[] {
  return [inMemory, embedded, ...(postgresAvailable() ? [postgres] : [])];
}

/**
 * Registers the hooks that open the adapter once for the file and hand each test fresh stores;
 * the returned object's fields are replaced before every test.
 */
export function usePersistence(adapter: Adapter<PersistenceContext>): PersistenceContext {
  return useAdapter(adapter, {} as PersistenceContext);
}

export function useAdapter<T extends object>(adapter: Adapter<T>, target: T): T {
  let opened: Opened<T> | undefined;
  beforeAll(async () => {
    opened = await adapter.open();
  }, 180_000);
  beforeEach(async () => {
    if (!opened) throw new Error(`${adapter.name} did not open`);
    Object.assign(target, await opened.fresh());
  });
  afterAll(async () => {
    await opened?.close();
  }, 180_000);
  return target;
}

export interface RateLimitContext {
  store: RateLimitStore;
}

function sqlRateLimits(dataSource: DataSource, truncate: () => Promise<void>) {
  return async (): Promise<RateLimitContext> => {
    await truncate();
    return { store: new PostgresRateLimitStore(dataSource.manager) };
  };
}

/** Every RateLimitStore: in-memory, PostgreSQL (embedded and real) and Redis. */
export function rateLimitAdapters(): Adapter<RateLimitContext>[] {
  const adapters: Adapter<RateLimitContext>[] = [
    {
      name: "in-memory",
      sql: false,
      async open() {
        const { rateLimits } = createInMemoryStores();
        return {
          async fresh() {
            rateLimits.clear();
            return { store: rateLimits };
          },
          async close() {},
        };
      },
    },
    {
      name: "embedded PGlite",
      sql: true,
      async open() {
        const server = await spawnEmbeddedPostgres();
        const { dataSource, truncate } = await openSql(server.url, EMBEDDED_POOL_SIZE);
        return {
          fresh: sqlRateLimits(dataSource, truncate),
          async close() {
            await dataSource.destroy();
            await server.stop();
          },
        };
      },
    },
  ];
  if (postgresAvailable()) {
    adapters.push({
      name: "PostgreSQL",
      sql: true,
      async open() {
        const database = await createTestDatabase("ratelimit");
        const { dataSource, truncate } = await openSql(database.url, 25);
        return {
          fresh: sqlRateLimits(dataSource, truncate),
          async close() {
            await dataSource.destroy();
            await database.drop();
          },
        };
      },
    });
  }
  if (redisAvailable()) {
    adapters.push({
      name: "Redis",
      sql: false,
      async open() {
        const redis = await connectTestRedis("ratelimit");
        return {
          async fresh() {
            await redis.clear();
            return { store: new RedisRateLimitStore(redis.redis, { keyPrefix: redis.prefix }) };
          },
          close: () => redis.close(),
        };
      },
    });
  }
  return adapters;
}

/** `describe.each` rows: the adapter's name first, for the title. */
export function eachAdapter<T>(adapters: Adapter<T>[]): Array<[string, Adapter<T>]> {
  return adapters.map((adapter) => [adapter.name, adapter]);
}
