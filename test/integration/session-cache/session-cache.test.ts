import type { SessionRepository } from "../../../src/application/shared/ports/session-repository.port";
import { Session } from "../../../src/domain/session/session";
import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import { InMemorySessionTokens } from "../../../src/infrastructure/crypto/in-memory-session-tokens";
import { createInMemoryStores } from "../../../src/infrastructure/persistence/in-memory";
import {
  createLocalInvalidationBus,
  SessionCache,
  sessionCacheTtlFromEnv,
  withSessionCache,
  type InvalidationBus,
} from "../../../src/infrastructure/session-cache";
import { BrokerInvalidationBus } from "../../../src/infrastructure/session-cache/broker-invalidation-bus";
import { CachedSessionRepository } from "../../../src/infrastructure/session-cache/cached-repositories";
import { appInstance, PASSWORD, CONTEXT, SETTINGS } from "./support/app-instance";
import { countingStores } from "./support/counting";
import { MemoryBroker } from "./support/memory-broker";

/** Two (or more) instances of the app over one in-memory database, each with its own cache. */
function cluster(options: { bus?: () => InvalidationBus; ttlMs?: number } = {}) {
  const clock = new ControllableClock(new Date());
  const sessionTokens = new InMemorySessionTokens();
  const raw = createInMemoryStores({ clock });
  const broker = new MemoryBroker();
  const instance = () => {
    const counted = countingStores(raw.stores);
    const bus = options.bus?.() ?? broker.bus();
    return { ...appInstance({ stores: counted.stores, uow: raw.uow }, bus, { clock, sessionTokens }, options.ttlMs), reads: counted.reads };
  };
  return { clock, broker, raw, instance };
}

describe("session cache (in-process)", () => {
  it("answers a repeated session check without reading the store", async () => {
    const { instance } = cluster();
    const a = instance();
    const { token } = await a.signUpUser();

    const first = a.reads();
    expect(await a.check(token)).not.toBeNull();
    const second = a.reads();
    expect(await a.check(token)).not.toBeNull();
    expect(await a.check(token)).not.toBeNull();
    // The first check after sign-up may need the rows; the ones after it need nothing.
    expect(second - first).toBeLessThanOrEqual(2);
    expect(a.reads() - second).toBe(0);
    expect(a.cache.stats.hits).toBeGreaterThanOrEqual(4);
  });

  describe.each([
    ["sign-out", async (app: Instance, s: Signed) => void (await app.signOut.execute({ token: s.token, context: CONTEXT }))],
    ["sign-out everywhere", async (app: Instance, s: Signed) => void (await app.revokeAll.execute({ userId: s.userId }))],
    ["revoking that one session", async (app: Instance, s: Signed) => {
      const session = (await app.check(s.token))!.session;
      expect((await app.revokeSession.execute({ userId: s.userId, sessionId: session.id })).ok).toBe(true);
    }],
    ["a password change from another session", async (app: Instance, s: Signed) => {
      const other = await app.signInUser(s.email);
      const changed = await app.changePassword.execute({
        userId: s.userId,
        sessionId: other.sessionId,
        currentPassword: PASSWORD,
        newPassword: "Brand-New-Phrase-41",
        context: CONTEXT,
      });
      expect(changed.ok).toBe(true);
    }],
    ["deleting the account", async (app: Instance, s: Signed) => {
      expect((await app.deleteAccount.execute({ userId: s.userId, password: PASSWORD })).ok).toBe(true);
    }],
  ])("after %s", (_what, revoke) => {
    it("refuses the cached session on the very next check, on this instance and on another", async () => {
      const { instance } = cluster();
      const a = instance();
      const b = instance();
      const signed = await a.signUpUser();
      expect(await a.check(signed.token)).not.toBeNull();
      expect(await b.check(signed.token)).not.toBeNull();
      expect(await b.check(signed.token)).not.toBeNull(); // now served from B's cache

      await revoke(a, signed);

      expect(await a.check(signed.token)).toBeNull();
      expect(await b.check(signed.token)).toBeNull();
    });
  });

  it("without fan-out another instance would keep serving a revoked session until the entry's TTL ends", async () => {
    // Why the bus exists: the same setup with notices lost between instances.
    const { instance, broker, clock } = cluster({ ttlMs: 60_000 });
    const a = instance();
    const b = instance();
    const signed = await a.signUpUser();
    await b.check(signed.token);
    broker.dropping = true;
    await a.revokeAll.execute({ userId: signed.userId });
    clock.advance({ seconds: 1 });
    expect(await a.check(signed.token)).toBeNull();
    expect(await b.check(signed.token)).not.toBeNull();
  });

  it("shows a rotation made on one instance to the others: the old token gets the successor, never a fork", async () => {
    const { instance, clock } = cluster();
    const a = instance();
    const b = instance();
    const signed = await a.signUpUser();
    const cachedOnB = (await b.check(signed.token))!.session;

    clock.advance({ seconds: SETTINGS.session.rotateAfterSeconds + 1 });
    const rotated = (await a.check(signed.token))!;
    expect(rotated.token).toBeDefined();
    expect(rotated.session.id).not.toBe(cachedOnB.id);

    // B held the predecessor as active; it must now see the rotation and hand out A's successor.
    const onB = (await b.check(signed.token))!;
    expect(onB.session.id).toBe(rotated.session.id);
    expect((await b.check(rotated.token!))!.session.id).toBe(rotated.session.id);

    clock.advance({ seconds: SETTINGS.session.rotationGraceSeconds + 1 });
    expect(await b.check(signed.token)).toBeNull();
    expect(await b.check(rotated.token!)).not.toBeNull();
  });

  it("leaves sessions valid when a unit of work that revoked them rolls back", async () => {
    const { instance, clock } = cluster();
    const a = instance();
    const b = instance();
    const signed = await a.signUpUser();
    await b.check(signed.token);
    await expect(
      a.uow.run(async (stores) => {
        await stores.sessions.revokeAllForUser(signed.userId, clock.now());
        throw new Error("something later in the transaction failed");
      }),
    ).rejects.toThrow("failed");
    expect(await a.check(signed.token)).not.toBeNull();
    expect(await b.check(signed.token)).not.toBeNull();
  });

  it("never puts back a row read before a write that committed while the read was in flight", async () => {
    const { raw, clock } = cluster();
    const signedUp = appInstance(raw, createLocalInvalidationBus(), { clock, sessionTokens: new InMemorySessionTokens() });
    const { userId } = await signedUp.signUpUser();
    const [row] = await raw.stores.sessions.listUnrevokedForUser(userId, clock.now());

    // A store whose read answers only when released, with the row as it was when the read began.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stale = row!.toSnapshot();
    const inner = raw.stores.sessions;
    const slow: SessionRepository = {
      insert: (session) => inner.insert(session),
      findById: async () => {
        await gate;
        return Session.restore(stale);
      },
      rotate: (predecessor, successor) => inner.rotate(predecessor, successor),
      touch: (id, at) => inner.touch(id, at),
      revoke: (id, at) => inner.revoke(id, at),
      revokeAllForUser: (userId, at, exceptId) => inner.revokeAllForUser(userId, at, exceptId),
      listUnrevokedForUser: (userId, now) => inner.listUnrevokedForUser(userId, now),
      revokeBeyondNewest: (userId, keep, now) => inner.revokeBeyondNewest(userId, keep, now),
    };
    const cache = new SessionCache().attach(createLocalInvalidationBus());
    const report = { wrote: async (notice: { sessions?: readonly string[] }) => cache.apply(notice) };
    const repo = new CachedSessionRepository(slow, cache, report);

    const inFlight = repo.findById(stale.id);
    await repo.revoke(stale.id, clock.now());
    release();
    expect((await inFlight)!.revokedAt).toBeNull(); // that read legitimately saw the old row…
    expect(cache.getSession(stale.id)).toBeUndefined(); // …but it is not cached for the next request
  });

  it("bypasses the cache while the bus is down and forgets what it held when it is back", async () => {
    const { instance, raw, clock } = cluster();
    const a = instance();
    const signed = await a.signUpUser();
    await a.check(signed.token);
    const bus = a.bus as ReturnType<MemoryBroker["bus"]>;

    bus.setLive(false);
    const before = a.reads();
    await a.check(signed.token);
    await a.check(signed.token);
    expect(a.reads() - before).toBeGreaterThanOrEqual(4); // session and user, every time
    expect(a.cache.size).toEqual({ sessions: 0, users: 0 });

    // A revocation written while notices could be lost (here: straight into the store).
    await raw.stores.sessions.revokeAllForUser(signed.userId, clock.now());
    bus.setLive(true);
    expect(await a.check(signed.token)).toBeNull();
  });

  it("re-reads an entry older than its TTL", async () => {
    let now = 1_000_000;
    const cache = new SessionCache({ ttlMs: 1000, now: () => now }).attach(createLocalInvalidationBus());
    const { raw, clock } = cluster();
    const app = appInstance(raw, createLocalInvalidationBus(), { clock, sessionTokens: new InMemorySessionTokens() });
    const { userId } = await app.signUpUser();
    const user = (await raw.stores.users.findById(userId))!;
    cache.fillUser(cache.beginRead(), user.toSnapshot());
    now += 999;
    expect(cache.getUser(userId)).toBeDefined();
    now += 2;
    expect(cache.getUser(userId)).toBeUndefined();
  });

  it("keeps at most maxEntries rows, dropping the oldest", async () => {
    const { raw, clock } = cluster();
    const app = appInstance(raw, createLocalInvalidationBus(), { clock, sessionTokens: new InMemorySessionTokens() });
    const cache = new SessionCache({ maxEntries: 2 }).attach(createLocalInvalidationBus());
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { userId } = await app.signUpUser();
      ids.push(userId);
      cache.fillUser(cache.beginRead(), (await raw.stores.users.findById(userId))!.toSnapshot());
    }
    expect(cache.getUser(ids[0]!)).toBeUndefined();
    expect(cache.getUser(ids[2]!)).toBeDefined();
    expect(cache.size.users).toBe(2);
  });

  it("is switched off entirely by SESSION_CACHE_TTL_MS=0, and refuses a malformed value", async () => {
    const { raw } = cluster();
    expect(sessionCacheTtlFromEnv({})).toBeUndefined();
    expect(sessionCacheTtlFromEnv({ SESSION_CACHE_TTL_MS: "0" })).toBe(0);
    expect(() => sessionCacheTtlFromEnv({ SESSION_CACHE_TTL_MS: "soon" })).toThrow(/SESSION_CACHE_TTL_MS/);
    const off = withSessionCache({ stores: raw.stores, uow: raw.uow, bus: createLocalInvalidationBus(), ttlMs: 0 });
    expect(off.stores.sessions).toBe(raw.stores.sessions);
    expect(off.uow).toBe(raw.uow);
  });

  it("is transparent: with the cache the use cases answer as they do without it", async () => {
    const { raw, clock } = cluster();
    const sessionTokens = new InMemorySessionTokens();
    const cached = withSessionCache({ stores: raw.stores, uow: raw.uow, bus: createLocalInvalidationBus() });
    const app = appInstance(cached, createLocalInvalidationBus(), { clock, sessionTokens });
    const signed = await app.signUpUser();
    const viaCache = await app.check(signed.token);
    const direct = await appInstance(raw, createLocalInvalidationBus(), { clock, sessionTokens }).check(signed.token);
    expect(viaCache?.user.toSnapshot()).toEqual(direct?.user.toSnapshot());
    expect(viaCache?.session.toSnapshot()).toEqual(direct?.session.toSnapshot());
  });
});

type Instance = ReturnType<ReturnType<typeof cluster>["instance"]>;
type Signed = Awaited<ReturnType<Instance["signUpUser"]>>;

/**
 * A broker in the test process: whatever one bus sends reaches every linked bus (its sender too, as
 * PostgreSQL and Redis do), one turn of the event loop later. A bus can be cut off (it hears nothing).
 */
class FakeBroker {
  readonly buses = new Set<ScriptedBus>();
  deliver(payload: string): void {
    for (const bus of this.buses) if (!bus.deaf) setImmediate(() => bus.hear(payload));
  }
}

class ScriptedBus extends BrokerInvalidationBus {
  /** Hears nothing from the broker (a connection that died without telling anyone). */
  deaf = false;
  sent: string[] = [];
  restarts = 0;
  constructor(
    private readonly broker = new FakeBroker(),
    options: { ackTimeoutMs?: number } = {},
  ) {
    super({ heartbeatMs: 20, warn: () => undefined, ...options });
    broker.buses.add(this);
    setImmediate(() => this.subscribed());
  }
  protected async send(payload: string): Promise<void> {
    this.sent.push(payload);
    this.broker.deliver(payload);
  }
  protected restart(): void {
    this.restarts++;
    setImmediate(() => this.subscribed());
  }
  protected async disconnect(): Promise<void> {
    this.broker.buses.delete(this);
  }
  hear(payload: string): void {
    this.received(payload);
  }
}

describe("broker bus", () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("is live only once its own heartbeat came back through the broker, and goes down when heartbeats stop", async () => {
    const bus = new ScriptedBus();
    const states: boolean[] = [];
    bus.subscribe({ onNotice: () => undefined, onLive: (live) => states.push(live) });
    expect(bus.live).toBe(false);
    await bus.whenLive(1000);

    bus.deaf = true;
    await sleep(120);
    expect(bus.live).toBe(false);
    expect(bus.restarts).toBeGreaterThanOrEqual(1);

    bus.deaf = false;
    await bus.whenLive(1000);
    expect(states).toEqual([false, true, false, true]);
    await bus.close();
  });

  it("ignores its own notices, passes on others' and clears everything on an unreadable message", async () => {
    const bus = new ScriptedBus();
    const notices: unknown[] = [];
    bus.subscribe({ onNotice: (n) => notices.push(n), onLive: () => undefined });
    await bus.whenLive(1000);
    await bus.publish({ sessions: ["mine"] });
    await sleep(5);
    expect(notices).toEqual([]);
    expect(bus.sent.some((payload) => payload.includes("mine"))).toBe(true);

    bus.hear(JSON.stringify({ o: "another-instance", s: ["s1"], u: ["u1"] }));
    bus.hear(JSON.stringify({ s: ["from-a-trigger"] }));
    bus.hear("not json");
    bus.hear(JSON.stringify({ o: "another-instance", hb: 3 }));
    expect(notices).toEqual([
      { sessions: ["s1"], users: ["u1"], all: undefined },
      { sessions: ["from-a-trigger"], users: undefined, all: undefined },
      { all: true },
    ]);
    await bus.close();
  });

  it("splits a large notice into messages that fit PostgreSQL's payload limit", async () => {
    const bus = new ScriptedBus();
    await bus.whenLive(1000);
    const before = bus.sent.length;
    const ids = Array.from({ length: 250 }, (_, i) => `session-id-${i}-${"x".repeat(30)}`);
    await bus.publish({ sessions: ids });
    const messages = bus.sent.slice(before).filter((p) => !p.includes('"hb"'));
    expect(messages.length).toBe(3);
    for (const payload of messages) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    expect(messages.flatMap((p) => JSON.parse(p).s)).toEqual(ids);
    await bus.close();
  });

  describe("confirmed publish", () => {
    async function cluster(count: number, options: { ackTimeoutMs?: number } = {}) {
      const broker = new FakeBroker();
      const buses = Array.from({ length: count }, () => new ScriptedBus(broker, options));
      const applied = buses.map(() => [] as string[]);
      buses.forEach((bus, i) => bus.subscribe({ onNotice: (n) => applied[i]!.push(...(n.sessions ?? [])), onLive: () => undefined }));
      await Promise.all(buses.map((bus) => bus.whenLive(1000)));
      await sleep(50); // heartbeats: each has heard of the others
      return { buses, applied };
    }

    it("returns only once every other instance has applied the notice", async () => {
      const { buses, applied } = await cluster(3);
      await buses[0]!.publish({ sessions: ["revoked"], confirm: true });
      expect(applied[1]).toContain("revoked");
      expect(applied[2]).toContain("revoked");
      await Promise.all(buses.map((bus) => bus.close()));
    });

    it("does not wait for anyone when the write needs no confirmation", async () => {
      const { buses, applied } = await cluster(2);
      await buses[0]!.publish({ sessions: ["touched"] });
      expect(applied[1]).not.toContain("touched");
      await sleep(5);
      expect(applied[1]).toContain("touched");
      await Promise.all(buses.map((bus) => bus.close()));
    });

    it("gives up on an instance that does not answer after the ack timeout, and at once on one that said goodbye", async () => {
      const { buses } = await cluster(3, { ackTimeoutMs: 80 });
      buses[2]!.deaf = true;
      let started = performance.now();
      await buses[0]!.publish({ sessions: ["s"], confirm: true });
      expect(performance.now() - started).toBeGreaterThanOrEqual(70);

      buses[2]!.deaf = false;
      await buses[2]!.close();
      await sleep(5);
      started = performance.now();
      await buses[0]!.publish({ sessions: ["t"], confirm: true });
      expect(performance.now() - started).toBeLessThan(60);
      await Promise.all(buses.slice(0, 2).map((bus) => bus.close()));
    });
  });
});
