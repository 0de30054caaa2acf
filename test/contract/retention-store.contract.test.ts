import { RetentionPass, type RetentionReport, type RetentionStore } from "../../src/application/retention";
import { DEFAULT_AUTH_SETTINGS } from "../../src/application/shared/auth-settings";
import { DeviceAuthorization } from "../../src/domain/device/device-authorization";
import { DeviceToken } from "../../src/domain/device/device-token";
import { NodeRandomTokens } from "../../src/infrastructure/crypto/node-random-tokens";
import { createDataSource, createTypeOrmStores, deriveOutboxKey } from "../../src/infrastructure/persistence/typeorm";
import type { Stores } from "../../src/infrastructure/persistence/stores";
import { aSession, aTeam, aToken, aUser, anEvent, anInvitation, newId, seconds } from "./support/fixtures";
import { eachAdapter, OUTBOX_SECRET, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

const random = new NodeRandomTokens();
const DAY = 86_400;

function anAuthorization(now: Date, ttlSeconds = 600): DeviceAuthorization {
  const letters = "BCDFGHJKLMNPQRSTVWXZ";
  const userCode = Array.from({ length: 8 }, () => letters[Math.floor(Math.random() * letters.length)]).join("");
  return DeviceAuthorization.create(
    { id: newId("dva"), deviceCodeHash: random.hash(random.newSecret()), userCode, clientId: "cli", scope: null, requestIp: null },
    now,
    ttlSeconds,
  );
}

function aDeviceToken(userId: string, now: Date, ttlSeconds = 3600): DeviceToken {
  return DeviceToken.create(
    {
      id: newId("dvt"),
      userId,
      authorizationId: newId("dva"),
      clientId: "cli",
      clientName: "Command line",
      prefix: random.hash(random.newId()).slice(0, 16),
      secretHash: random.hash(random.newSecret()),
      ip: null,
    },
    now,
    ttlSeconds,
  );
}

function pass(stores: Stores, clock: { now(): Date }, batchSize = 2, pauseRatio = 0): RetentionPass {
  const settings = { ...DEFAULT_AUTH_SETTINGS, retention: { intervalSeconds: 600, batchSize, pauseRatio, authEventRetentionDays: 90 } };
  return new RetentionPass(stores, random, clock, settings);
}

describe.each(eachAdapter(persistenceAdapters()))("Retention on %s", (name, adapter) => {
  const ctx = usePersistence(adapter);

  /**
   * One of every kind of row, dead and alive: rows made 40 days ago (their sessions, tokens and codes
   * long expired) and rows made now, some of them ended. Returns what must survive and what must go.
   */
  async function aWorld() {
    const old = ctx.clock.now();
    const user = aUser(old);
    await ctx.stores.users.insert(user);
    const team = aTeam(old);
    await ctx.stores.teams.insert(team);

    const expiredSession = aSession(user.id, old);
    await ctx.stores.sessions.insert(expiredSession);
    const expiredToken = aToken(user.id, old, { ttlSeconds: 3600 });
    await ctx.stores.tokens.insert(expiredToken);
    const expiredCode = anAuthorization(old);
    await ctx.stores.deviceAuthorizations.insert(expiredCode);
    const expiredDeviceToken = aDeviceToken(user.id, old);
    await ctx.stores.deviceTokens.insert(expiredDeviceToken);
    const expiredInvitation = anInvitation(team.id, user.id, old, { email: "late@example.com" });
    await ctx.stores.invitations.insert(expiredInvitation);
    await ctx.stores.events.record(anEvent(user.id, seconds(old, -60 * DAY), "sign-in.failed")); // 100 days before the pass
    await ctx.rateLimits.hit("sign-in:ip:203.0.113.1", 900, old);

    const now = ctx.clock.advance({ days: 40 });
    const live = aSession(user.id, now);
    await ctx.stores.sessions.insert(live);
    const revoked = aSession(user.id, now);
    await ctx.stores.sessions.insert(revoked);
    await ctx.stores.sessions.revoke(revoked.id, now);
    // Rotated out but not revoked: kept until it expires, so a replayed old cookie is still recognised.
    const rotated = aSession(user.id, now);
    await ctx.stores.sessions.insert(rotated);
    const successor = rotated.rotate(newId("ses"), now);
    await ctx.stores.sessions.rotate(rotated, successor);

    const liveToken = aToken(user.id, now, { purpose: "verify-email" });
    await ctx.stores.tokens.insert(liveToken);
    const usedToken = aToken(user.id, now, { purpose: "verify-email" });
    await ctx.stores.tokens.insert(usedToken);
    await ctx.stores.tokens.consume(usedToken.id, now);
    const voidedToken = aToken(user.id, now, { purpose: "reset-password" });
    await ctx.stores.tokens.insert(voidedToken);
    await ctx.stores.tokens.invalidateAllForUser(user.id, "reset-password", now);

    const liveCode = anAuthorization(now);
    await ctx.stores.deviceAuthorizations.insert(liveCode);
    const liveDeviceToken = aDeviceToken(user.id, now);
    await ctx.stores.deviceTokens.insert(liveDeviceToken);
    const revokedDeviceToken = aDeviceToken(user.id, now);
    await ctx.stores.deviceTokens.insert(revokedDeviceToken);
    await ctx.stores.deviceTokens.revoke(revokedDeviceToken.id, user.id, now);

    const pendingInvitation = anInvitation(team.id, user.id, now, { email: "pending@example.com" });
    await ctx.stores.invitations.insert(pendingInvitation);
    const acceptedInvitation = anInvitation(team.id, user.id, now, { email: "joined@example.com" });
    await ctx.stores.invitations.insert(acceptedInvitation);
    await ctx.stores.invitations.close(acceptedInvitation.id, "accepted", now);

    await ctx.stores.outbox.enqueue({ to: "sent@example.com", template: "verify-email", params: { token: "sent-token" } });
    await ctx.stores.outbox.enqueue({ to: "retrying@example.com", template: "verify-email", params: { token: "retry-token" } });
    const claimed = await ctx.outbox.claimDue(now, 10, 60);
    const sent = claimed.find((m) => m.mail.to === "sent@example.com")!;
    const retrying = claimed.find((m) => m.mail.to === "retrying@example.com")!;
    await ctx.outbox.markSent(sent.id, now);
    await ctx.outbox.markFailed(retrying.id, "421 try later", seconds(now, 30));
    await ctx.stores.outbox.enqueue({ to: "refused@example.com", template: "verify-email", params: { token: "dead-token" } });
    const refused = (await ctx.outbox.claimDue(now, 10, 60)).find((m) => m.mail.to === "refused@example.com")!;
    await ctx.outbox.markDead(refused.id, "550 no such mailbox", now);
    await ctx.stores.outbox.enqueue({ to: "queued@example.com", template: "verify-email", params: { token: "queued-token" } });

    const recentEvent = anEvent(user.id, seconds(now, -89 * DAY), "sign-in.succeeded");
    await ctx.stores.events.record(recentEvent);
    await ctx.stores.events.record(anEvent(user.id, now, "sign-in.succeeded"));
    await ctx.rateLimits.hit("sign-in:ip:203.0.113.2", 900, now);

    ctx.clock.advance(1);
    return {
      user, team, live, rotated, successor, liveToken, usedToken, voidedToken, expiredToken, liveCode, expiredCode,
      liveDeviceToken, revokedDeviceToken, expiredDeviceToken, pendingInvitation, acceptedInvitation, expiredInvitation,
      expiredSession, revoked, recentEvent,
    };
  }

  it("deletes exactly the dead rows of every kind, and every live one survives", async () => {
    const w = await aWorld();
    const result = await pass(ctx.stores, ctx.clock).execute();
    expect(result.ok).toBe(true);
    const report = (result as { value: RetentionReport }).value;

    expect(report).toMatchObject({
      ran: true,
      deleted: {
        "sessions.expired": 1,
        "sessions.revoked": 1,
        "verificationTokens.expired": 1,
        "verificationTokens.spent": 2,
        "deviceAuthorizations.expired": 1,
        "deviceTokens.expired": 1,
        "deviceTokens.revoked": 1,
        "invitations.expired": 1,
        "invitations.ended": 1,
        "outbox.sent": 1,
        "outbox.failed": 1,
        "rateLimits.expired": 1,
        "authEvents.old": 1,
      },
      total: 14,
    });

    // Gone.
    for (const id of [w.expiredSession.id, w.revoked.id]) expect(await ctx.stores.sessions.findById(id)).toBeNull();
    for (const token of [w.expiredToken, w.usedToken, w.voidedToken]) expect(await ctx.stores.tokens.findByHash(token.tokenHash)).toBeNull();
    expect(await ctx.stores.deviceAuthorizations.findByDeviceCodeHash(w.expiredCode.deviceCodeHash)).toBeNull();
    for (const token of [w.expiredDeviceToken, w.revokedDeviceToken]) expect(await ctx.stores.deviceTokens.findByPrefix(token.prefix)).toBeNull();
    for (const invitation of [w.expiredInvitation, w.acceptedInvitation]) expect(await ctx.stores.invitations.findById(w.team.id, invitation.id)).toBeNull();

    // Alive: a live session, a rotated-out one still within its lifetime and its successor, an unexpired
    // token, a pending code and device token, a pending invitation, queued and retrying mail, recent events.
    for (const id of [w.live.id, w.rotated.id, w.successor.id]) expect(await ctx.stores.sessions.findById(id)).not.toBeNull();
    expect(await ctx.stores.tokens.findByHash(w.liveToken.tokenHash)).not.toBeNull();
    expect(await ctx.stores.deviceAuthorizations.findByDeviceCodeHash(w.liveCode.deviceCodeHash)).not.toBeNull();
    expect(await ctx.stores.deviceTokens.findByPrefix(w.liveDeviceToken.prefix)).not.toBeNull();
    expect(await ctx.stores.invitations.findById(w.team.id, w.pendingInvitation.id)).not.toBeNull();
    const due = await ctx.outbox.claimDue(ctx.clock.advance(60), 10, 60);
    expect(due.map((m) => m.mail.to).sort()).toEqual(["queued@example.com", "retrying@example.com"]);
    const events = await ctx.stores.events.listForUser(w.user.id, 10);
    expect(events.map((e) => e.type)).toEqual(["sign-in.succeeded", "sign-in.succeeded"]);
    expect(events.map((e) => e.id)).toContain(w.recentEvent.id);
    expect(await ctx.rateLimits.peek("sign-in:ip:203.0.113.2", ctx.clock.now())).toMatchObject({ count: 1 });
    expect(await ctx.stores.users.findById(w.user.id)).not.toBeNull();

    // A second pass finds nothing more to delete.
    const again = await pass(ctx.stores, ctx.clock).execute();
    expect(again.ok && again.value.total).toBe(0);
  });

  it("never deletes more than the batch size in one statement", async () => {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    for (let i = 0; i < 5; i++) await ctx.stores.sessions.insert(aSession(user.id, ctx.clock.now()));
    const now = ctx.clock.advance({ days: 31 });
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await ctx.stores.retention.deleteBatch("sessions.expired", now, 2));
    expect(counts).toEqual([2, 2, 1, 0]);
  });

  it("rests after every full batch as long as RETENTION_PAUSE_RATIO says, never after the last one", async () => {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    for (let i = 0; i < 5; i++) await ctx.stores.sessions.insert(aSession(user.id, ctx.clock.now()));
    ctx.clock.advance({ days: 31 });
    const rests: number[] = [];
    const rest = async (ms: number) => void rests.push(ms);
    const paced = await pass(ctx.stores, ctx.clock, 2, 3).execute({ rest });
    expect(paced.ok && paced.value.deleted["sessions.expired"]).toBe(5);
    // 2 + 2 + 1 expired sessions: two full batches, then a short one; every other rule's first batch is short.
    expect(rests).toHaveLength(2);
    for (const ms of rests) expect(ms).toBeGreaterThanOrEqual(0);
    const unpaced: number[] = [];
    await pass(ctx.stores, ctx.clock, 2, 0).execute({ rest: async (ms) => void unpaced.push(ms) });
    expect(unpaced).toEqual([]);
  });

  it("keeps auth events for AUTH_EVENT_RETENTION_DAYS and not a day longer", async () => {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    const now = ctx.clock.now();
    const kept = anEvent(user.id, seconds(now, -90 * DAY + 60));
    await ctx.stores.events.record(kept);
    await ctx.stores.events.record(anEvent(user.id, seconds(now, -90 * DAY - 60)));
    await ctx.stores.events.record(anEvent(null, seconds(now, -400 * DAY), "sign-in.failed"));
    const result = await pass(ctx.stores, ctx.clock).execute();
    expect(result.ok && result.value.deleted["authEvents.old"]).toBe(2);
    expect((await ctx.stores.events.listForUser(user.id, 10)).map((e) => e.id)).toEqual([kept.id]);
  });

  describe("the lease", () => {
    const claim = (holder: string, now: Date, ttl = 60) => ({ name: "job", holder, now, until: seconds(now, ttl) });

    it("is held by one holder at a time until it runs out or is released", async () => {
      const t = ctx.clock.now();
      const store = ctx.stores.retention;
      expect(await store.acquireLease(claim("a", t))).toBe(true);
      expect(await store.acquireLease(claim("b", seconds(t, 30)))).toBe(false);
      expect(await store.acquireLease(claim("a", seconds(t, 30)))).toBe(true); // renewed to t+90
      expect(await store.acquireLease(claim("b", seconds(t, 80)))).toBe(false);
      await store.releaseLease("job", "b"); // not b's: nothing happens
      expect(await store.acquireLease(claim("b", seconds(t, 85)))).toBe(false);
      expect(await store.acquireLease(claim("b", seconds(t, 90)))).toBe(true); // a's ran out
      await store.releaseLease("job", "b");
      expect(await store.acquireLease(claim("a", seconds(t, 91)))).toBe(true);
    });

    it("goes to exactly one of twenty holders claiming at once", async () => {
      const t = ctx.clock.now();
      const won = await Promise.all(Array.from({ length: 20 }, (_, i) => ctx.stores.retention.acquireLease(claim(`h${i}`, t))));
      expect(won.filter(Boolean)).toHaveLength(1);
    });
  });

  /** Wraps a store so every batch takes a while, and records how many passes delete at the same time. */
  function watched(store: RetentionStore) {
    const stats = { active: 0, most: 0 };
    const slow: RetentionStore = {
      acquireLease: (c) => store.acquireLease(c),
      releaseLease: (n, h) => store.releaseLease(n, h),
      async deleteBatch(rule, cutoff, limit) {
        stats.active++;
        stats.most = Math.max(stats.most, stats.active);
        try {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return await store.deleteBatch(rule, cutoff, limit);
        } finally {
          stats.active--;
        }
      },
    };
    return { stats, slow };
  }

  async function expiredSessions(count: number): Promise<void> {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    for (let i = 0; i < count; i++) await ctx.stores.sessions.insert(aSession(user.id, ctx.clock.now()));
    ctx.clock.advance({ days: 31 });
  }

  it("never runs two passes at once: of two instances starting together, one runs and the other skips", async () => {
    await expiredSessions(6);
    const { stats, slow } = watched(ctx.stores.retention);
    const stores = { ...ctx.stores, retention: slow };
    const [a, b] = [pass(stores, ctx.clock), pass(stores, ctx.clock)];
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([a.execute(), b.execute()]);
      const ran = results.filter((r) => r.ok && r.value.ran);
      expect(ran).toHaveLength(1);
    }
    expect(stats.most).toBe(1);
  });

  if (name === "PostgreSQL") {
    it("never runs two passes at once across two processes' connection pools either", async () => {
      await expiredSessions(6);
      const url = (ctx.dataSource!.options as { url: string }).url;
      const other = createDataSource({ url, poolSize: 3 });
      await other.initialize();
      try {
        const second = createTypeOrmStores(other, { clock: ctx.clock, outboxKey: deriveOutboxKey(OUTBOX_SECRET), seedSecrets: [OUTBOX_SECRET] }).stores;
        const first = watched(ctx.stores.retention);
        const seconds_ = watched(second.retention);
        const both = { now: 0, most: 0 };
        const count = (w: ReturnType<typeof watched>): RetentionStore => ({
          ...w.slow,
          async deleteBatch(rule, cutoff, limit) {
            both.now++;
            both.most = Math.max(both.most, both.now);
            try {
              return await w.slow.deleteBatch(rule, cutoff, limit);
            } finally {
              both.now--;
            }
          },
        });
        const a = pass({ ...ctx.stores, retention: count(first) }, ctx.clock);
        const b = pass({ ...second, retention: count(seconds_) }, ctx.clock);
        for (let round = 0; round < 3; round++) {
          const results = await Promise.all([a.execute(), b.execute()]);
          expect(results.filter((r) => r.ok && r.value.ran)).toHaveLength(1);
        }
        expect(both.most).toBe(1);
      } finally {
        await other.destroy();
      }
    });
  }
});
