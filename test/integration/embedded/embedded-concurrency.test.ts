/**
 * The embedded database under concurrent load of mixed statement shapes, through the real adapters
 * and the pool the app gives it. PGlite has one backend behind its socket server, which keeps a
 * connection's messages together only inside a transaction: two connections' extended-query batches
 * (Parse/Bind/Execute/Sync) sent at once interleave, and the answers are an error ("unnamed prepared
 * statement does not exist"), a stalled queue, or another statement's rows. Every answer here is
 * checked against what was written.
 */
import type { DataSource } from "typeorm";
import type { Session } from "../../../src/domain/session/session";
import type { User } from "../../../src/domain/identity/user";
import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import { EMBEDDED_MAX_CONNECTIONS, EMBEDDED_POOL_SIZE } from "../../../src/infrastructure/persistence/embedded/embedded-pool";
import { createDataSource, createTypeOrmStores, deriveOutboxKey, runMigrations } from "../../../src/infrastructure/persistence/typeorm";
import type { TypeOrmStores } from "../../../src/infrastructure/persistence/typeorm/typeorm-stores";
import { aSession, aUser, email, newId } from "../../contract/support/fixtures";
import { spawnEmbeddedPostgres, type EmbeddedProcess } from "../../support/postgres";

const DURATION_MS = 5_000;
const CONCURRENCY = 24;

jest.setTimeout(120_000);

/** A stalled queue never answers: fail the operation instead of waiting for the test's timeout. */
function withinStallLimit<T>(name: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within 10 s (${name}): the queue stalled`)), 10_000);
  });
  return Promise.race([work, stalled]).finally(() => clearTimeout(timer));
}

describe("the embedded database under concurrent statements of different shapes", () => {
  let server: EmbeddedProcess;
  let dataSource: DataSource;
  let db: TypeOrmStores;
  const clock = new ControllableClock();

  beforeAll(async () => {
    server = await spawnEmbeddedPostgres({ maxConnections: EMBEDDED_MAX_CONNECTIONS });
    dataSource = createDataSource({ url: server.url, poolSize: EMBEDDED_POOL_SIZE });
    await dataSource.initialize();
    await runMigrations(dataSource);
    db = createTypeOrmStores(dataSource, { clock, outboxKey: deriveOutboxKey("a-secret-that-is-at-least-32-bytes-long"), seedSecrets: ["a-secret-that-is-at-least-32-bytes-long"] });
  }, 180_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await server?.stop();
  });

  it("answers every read with the row that was written, and fails no statement, for several seconds", async () => {
    const now = clock.now();
    const users: User[] = [];
    const sessions: Session[] = [];
    for (let i = 0; i < 40; i++) {
      const user = aUser(now);
      await db.stores.users.insert(user);
      const session = aSession(user.id, now);
      await db.stores.sessions.insert(session);
      users.push(user);
      sessions.push(session);
    }
    const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;
    const problems: string[] = [];
    const done: Record<string, number> = {};
    const expectEqual = (what: string, actual: unknown, expected: unknown) => {
      if (actual !== expected) problems.push(`${what}: expected ${String(expected)}, got ${String(actual)}`);
    };

    // Each operation writes or reads something whose right answer is known, in a statement shape of its own.
    const operations: Record<string, () => Promise<void>> = {
      async "session by id"() {
        const session = pick(sessions);
        const found = await db.stores.sessions.findById(session.id);
        expectEqual("session by id", found?.userId, session.userId);
      },
      async "user by id"() {
        const user = pick(users);
        expectEqual("user by id", (await db.stores.users.findById(user.id))?.email, user.email);
      },
      async "user by e-mail"() {
        const user = pick(users);
        expectEqual("user by e-mail", (await db.stores.users.findByEmail(email(user.email)))?.id, user.id);
      },
      async "sessions of a user"() {
        const session = pick(sessions);
        const listed = await db.stores.sessions.listUnrevokedForUser(session.userId, now);
        for (const row of listed) expectEqual("sessions of a user", row.userId, session.userId);
        if (!listed.some((row) => row.id === session.id)) problems.push(`sessions of a user: ${session.id} missing`);
      },
      async "insert then read a session"() {
        const session = aSession(pick(users).id, now);
        await db.stores.sessions.insert(session);
        expectEqual("inserted session", (await db.stores.sessions.findById(session.id))?.userId, session.userId);
      },
      async "rotate a session"() {
        const user = pick(users);
        const session = aSession(user.id, now);
        await db.stores.sessions.insert(session);
        const successor = session.rotate(newId("ses"), now);
        expectEqual("rotation won", await db.stores.sessions.rotate(session, successor), true);
        expectEqual("successor", (await db.stores.sessions.findById(successor.id))?.userId, user.id);
      },
      async "sign-up in a unit of work"() {
        const user = aUser(now);
        const session = aSession(user.id, now);
        await db.uow.run(async (stores) => {
          await stores.users.insert(user);
          await stores.sessions.insert(session);
        });
        expectEqual("signed-up user", (await db.stores.users.findById(user.id))?.email, user.email);
      },
    };
    const names = Object.keys(operations);

    const deadline = Date.now() + DURATION_MS;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < deadline && problems.length < 20) {
          const name = pick(names);
          try {
            await withinStallLimit(name, operations[name]!());
            done[name] = (done[name] ?? 0) + 1;
          } catch (error) {
            problems.push(`${name} threw: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }),
    );

    const total = Object.values(done).reduce((sum, n) => sum + n, 0);
    console.log(`embedded database, pool of ${EMBEDDED_POOL_SIZE}: ${total} operations in ${DURATION_MS / 1000} s`, done);
    expect(problems).toEqual([]);
    // Every shape ran, many times: a stalled queue or a test that did nothing cannot pass.
    for (const name of names) expect(done[name] ?? 0).toBeGreaterThan(10);
  });
});
