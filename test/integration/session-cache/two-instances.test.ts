import { randomBytes } from "node:crypto";
import { Client } from "pg";
import Redis from "ioredis";
import type { DataSource } from "typeorm";
import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import { JoseSessionTokens } from "../../../src/infrastructure/crypto/jose-session-tokens";
import {
  createDataSource,
  createTypeOrmStores,
  deriveOutboxKey,
  runMigrations,
} from "../../../src/infrastructure/persistence/typeorm";
import {
  createPostgresInvalidationBus,
  createRedisInvalidationBus,
  invalidationTriggerSql,
  type InvalidationBus,
} from "../../../src/infrastructure/session-cache";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../../support/postgres";
import { redisAvailable, TEST_REDIS_URL } from "../../support/redis";
import { appInstance, CONTEXT, PASSWORD, percentile, SETTINGS, type AppInstance } from "./support/app-instance";

const SECRET = "two-instances-test-secret-of-32-bytes-or-more";
/** The longest we accept between a revocation returning on one instance and another refusing it. */
const PROPAGATION_BOUND_MS = 1000;

type BusKind = "PostgreSQL LISTEN/NOTIFY" | "Redis pub/sub";

const kinds: BusKind[] = [];
if (postgresAvailable()) {
  kinds.push("PostgreSQL LISTEN/NOTIFY");
  if (redisAvailable()) kinds.push("Redis pub/sub");
}

interface Node {
  app: AppInstance;
  dataSource: DataSource;
  bus: InvalidationBus;
  connectionName: string;
  /** SQL statements this instance has sent so far. */
  queries(): number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (!(await condition())) {
    if (performance.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return performance.now() - start;
}

// Without PostgreSQL the suite is listed as skipped after the notice (under CI=true a failing test
// was registered instead, see requireServer).
const describeKinds = kinds.length > 0 ? describe.each(kinds) : describe.skip.each<BusKind>(["PostgreSQL LISTEN/NOTIFY"]);

describeKinds("session cache across two instances over one PostgreSQL, fan-out by %s", (kind) => {
  let database: TestDatabase;
  let a: Node;
  let b: Node;
  const clock = new ControllableClock(new Date());
  const sessionTokens = new JoseSessionTokens({ secret: SECRET });
  const channel = `session_cache_test_${randomBytes(4).toString("hex")}`;

  async function node(label: string): Promise<Node> {
    const dataSource = createDataSource({ url: database.url, poolSize: 5, applicationName: `app-${label}` });
    await dataSource.initialize();
    let count = 0;
    const logger = dataSource.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (...args: Parameters<typeof logQuery>) => {
      count++;
      return logQuery(...args);
    };
    const connectionName = `cache-${label}-${randomBytes(3).toString("hex")}`;
    const options = { channel, connectionName, heartbeatMs: 500, warn: () => undefined };
    const bus =
      kind === "Redis pub/sub"
        ? createRedisInvalidationBus(TEST_REDIS_URL, options)
        : createPostgresInvalidationBus(database.url, options);
    await bus.whenLive(10_000);
    const raw = createTypeOrmStores(dataSource, { clock, outboxKey: deriveOutboxKey(SECRET), seedSecrets: [SECRET] });
    return { app: appInstance(raw, bus, { clock, sessionTokens }), dataSource, bus, connectionName, queries: () => count };
  }

  beforeAll(async () => {
    database = await createTestDatabase("session_cache");
    // runMigrations holds one connection for its advisory lock while migrating on another.
    const migrator = createDataSource({ url: database.url, poolSize: 2 });
    await migrator.initialize();
    await runMigrations(migrator);
    await migrator.destroy();
    a = await node("a");
    b = await node("b");
  }, 60_000);

  afterAll(async () => {
    for (const n of [a, b]) {
      if (!n) continue;
      await n.bus.close();
      await n.dataSource.destroy();
    }
    await database?.drop();
  }, 60_000);

  it("delivers a burst of notices published at once, one command at a time on the bus connection", async () => {
    const heard = new Set<string>();
    const unsubscribe = b.bus.subscribe({
      onNotice: (notice) => notice.sessions?.filter((id) => id.startsWith("burst-")).forEach((id) => heard.add(id)),
      onLive: () => undefined,
    });
    // pg queues a query sent while another runs on the same client, but warns that pg 9 will not:
    // the bus must never have two commands in flight on its connection.
    let inFlight = 0;
    let peak = 0;
    const client = (a.bus as unknown as { client?: { query: (...args: unknown[]) => Promise<unknown> } }).client;
    const query = client?.query;
    if (client && query) {
      client.query = async (...args: unknown[]) => {
        peak = Math.max(peak, ++inFlight);
        try {
          return await query.apply(client, args);
        } finally {
          inFlight--;
        }
      };
    }
    try {
      await Promise.all(Array.from({ length: 30 }, (_, i) => a.bus.publish({ sessions: [`burst-${i}`], confirm: true })));
      await until(() => heard.size === 30, 5000);
    } finally {
      unsubscribe();
      if (client && query) client.query = query;
    }
    expect(heard.size).toBe(30);
    if (kind === "PostgreSQL LISTEN/NOTIFY") {
      expect(client).toBeDefined();
      expect(peak).toBe(1);
    }
  });

  it("answers a repeated session check from the cache without any SQL", async () => {
    const signed = await a.app.signUpUser();
    const q0 = b.queries();
    expect(await b.app.check(signed.token)).not.toBeNull();
    const q1 = b.queries();
    for (let i = 0; i < 10; i++) expect(await b.app.check(signed.token)).not.toBeNull();
    const q2 = b.queries();
    console.log(`[${kind}] SQL statements per session check: first ${q1 - q0}, next ten ${q2 - q1}`);
    expect(q1 - q0).toBeGreaterThanOrEqual(2);
    expect(q2 - q1).toBe(0);
  });

  it("refuses on B, on its very next check, a session signed out everywhere on A", async () => {
    const writeMs: number[] = [];
    const delays: number[] = [];
    let acceptedAfter = 0;
    for (let round = 0; round < 15; round++) {
      const signed = await a.app.signUpUser();
      await b.app.check(signed.token);
      const before = b.queries();
      expect(await b.app.check(signed.token)).not.toBeNull();
      expect(b.queries()).toBe(before); // B answers from its cache: only a notice can change its mind

      const started = performance.now();
      expect((await a.app.revokeAll.execute({ userId: signed.userId })).ok).toBe(true);
      const returned = performance.now();
      writeMs.push(returned - started);
      // A's answer waited for B's acknowledgement, so not even one more check may pass.
      if ((await b.app.check(signed.token)) !== null) acceptedAfter++;
      await until(async () => (await b.app.check(signed.token)) === null, PROPAGATION_BOUND_MS);
      delays.push(performance.now() - returned);
    }
    console.log(
      `[${kind}] sign-out-all on A (${percentile(writeMs, 50).toFixed(2)} ms p50, acknowledgement included) → refused on B: ` +
        `p50 ${percentile(delays, 50).toFixed(2)} ms, p99 ${percentile(delays, 99).toFixed(2)} ms, max ${Math.max(...delays).toFixed(2)} ms ` +
        `over ${delays.length} rounds; ${acceptedAfter} checks on B still accepted after A returned`,
    );
    expect(acceptedAfter).toBe(0);
    expect(Math.max(...delays)).toBeLessThan(PROPAGATION_BOUND_MS);
  });

  it("shows B a rotation made on A: the old token leads to A's successor, and is refused after the grace", async () => {
    const signed = await a.app.signUpUser();
    const cachedOnB = (await b.app.check(signed.token))!.session;
    await b.app.check(signed.token);

    clock.advance({ seconds: SETTINGS.session.rotateAfterSeconds + 1 });
    const rotated = (await a.app.check(signed.token))!;
    expect(rotated.token).toBeDefined();
    expect(rotated.session.id).not.toBe(cachedOnB.id);

    const onB = (await b.app.check(signed.token))!;
    expect(onB.session.id).toBe(rotated.session.id);
    expect((await b.app.check(rotated.token!))?.session.id).toBe(rotated.session.id);
    const [row] = await b.dataSource.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1`, [signed.userId]);
    expect(row.n).toBe(2); // one successor: B did not fork the session

    clock.advance({ seconds: SETTINGS.session.rotationGraceSeconds + 1 });
    await until(async () => (await b.app.check(signed.token)) === null, PROPAGATION_BOUND_MS);
    expect(await b.app.check(rotated.token!)).not.toBeNull();
  });

  it("refuses on B the other sessions ended by a password change on A (a unit of work), and accepts the new one", async () => {
    const signed = await a.app.signUpUser();
    const other = await a.app.signInUser(signed.email);
    await b.app.check(signed.token);
    await b.app.check(other.token);
    const changed = await a.app.changePassword.execute({
      userId: signed.userId,
      sessionId: other.sessionId,
      currentPassword: PASSWORD,
      newPassword: "Brand-New-Phrase-41",
      context: CONTEXT,
    });
    expect(changed.ok).toBe(true);
    const replacement = changed.ok ? changed.value.token : "";
    await until(async () => (await b.app.check(signed.token)) === null, PROPAGATION_BOUND_MS);
    await until(async () => (await b.app.check(other.token)) === null, PROPAGATION_BOUND_MS);
    expect(await b.app.check(replacement)).not.toBeNull();
  });

  it("refuses on B a session whose account was deleted on A", async () => {
    const signed = await a.app.signUpUser();
    await b.app.check(signed.token);
    expect((await a.app.deleteAccount.execute({ userId: signed.userId, password: PASSWORD })).ok).toBe(true);
    await until(async () => (await b.app.check(signed.token)) === null, PROPAGATION_BOUND_MS);
  });

  it("bypasses the cache while B's listener connection is lost, then caches again once resubscribed", async () => {
    const signed = await a.app.signUpUser();
    await b.app.check(signed.token);
    const warm = b.queries();
    await b.app.check(signed.token);
    expect(b.queries()).toBe(warm);

    await killListener(b.connectionName);
    await until(() => !b.bus.live, 2000);

    // While notices cannot arrive, every check reads the database: a revocation is seen at once…
    const q0 = b.queries();
    expect(await b.app.check(signed.token)).not.toBeNull();
    expect(b.queries()).toBeGreaterThan(q0);
    const revokedBehindItsBack = await b.dataSource.query(
      `UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
      [signed.userId, clock.now()],
    );
    expect(revokedBehindItsBack[0]).toHaveLength(1);
    expect(await b.app.check(signed.token)).toBeNull();

    // …and once resubscribed it caches again.
    await b.bus.whenLive(15_000);
    const fresh = await a.app.signUpUser();
    await b.app.check(fresh.token);
    const q1 = b.queries();
    expect(await b.app.check(fresh.token)).not.toBeNull();
    expect(b.queries()).toBe(q1);
  });

  if (kind === "PostgreSQL LISTEN/NOTIFY") {
    it("with the trigger installed, a write that bypasses the app is announced at commit to every instance", async () => {
      const admin = new Client({ connectionString: database.url });
      await admin.connect();
      try {
        for (const statement of invalidationTriggerSql(channel).up) await admin.query(statement);
        const signed = await a.app.signUpUser();
        await a.app.check(signed.token);
        await b.app.check(signed.token);
        await admin.query("BEGIN");
        await admin.query(`UPDATE sessions SET revoked_at = $2 WHERE user_id = $1`, [signed.userId, clock.now()]);
        await sleep(50);
        // Not committed yet: nothing announced, both still serve the session.
        expect(await a.app.check(signed.token)).not.toBeNull();
        expect(await b.app.check(signed.token)).not.toBeNull();
        await admin.query("COMMIT");
        const committed = performance.now();
        await until(async () => (await a.app.check(signed.token)) === null && (await b.app.check(signed.token)) === null, PROPAGATION_BOUND_MS);
        console.log(`[${kind}] trigger: SQL revocation refused on both instances ${(performance.now() - committed).toFixed(2)} ms after COMMIT`);
      } finally {
        for (const statement of invalidationTriggerSql(channel).down) await admin.query(statement);
        await admin.end();
      }
    });
  }

  async function killListener(connectionName: string): Promise<void> {
    if (kind === "Redis pub/sub") {
      const redis = new Redis(TEST_REDIS_URL);
      try {
        const clients = String(await redis.client("LIST"));
        const line = clients.split("\n").find((l) => l.includes(`name=${connectionName}-sub `));
        const id = /(?:^|\s)id=(\d+)/.exec(line ?? "")?.[1];
        if (!id) throw new Error(`no Redis client named ${connectionName}-sub`);
        await redis.client("KILL", "ID", id);
      } finally {
        redis.disconnect();
      }
      return;
    }
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [connectionName]);
      if (killed.rowCount !== 1) throw new Error(`expected one listener named ${connectionName}, found ${killed.rowCount}`);
    } finally {
      await admin.end();
    }
  }
});
