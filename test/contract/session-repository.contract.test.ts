import type { Session } from "../../src/domain/session/session";
import { aSession, aUser, newId, seconds } from "./support/fixtures";
import { eachAdapter, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

describe.each(eachAdapter(persistenceAdapters()))("SessionRepository on %s", (_name, adapter) => {
  const ctx = usePersistence(adapter);

  async function signedIn(now = ctx.clock.now()): Promise<{ userId: string; session: Session }> {
    const user = aUser(now);
    await ctx.stores.users.insert(user);
    const session = aSession(user.id, now);
    await ctx.stores.sessions.insert(session);
    return { userId: user.id, session };
  }

  it("gives back every field of an inserted session, and null for an unknown id", async () => {
    const now = ctx.clock.now();
    const user = aUser(now);
    await ctx.stores.users.insert(user);
    const session = aSession(user.id, now, { userAgent: null, ip: "2001:db8::1" });
    await ctx.stores.sessions.insert(session);

    expect((await ctx.stores.sessions.findById(session.id))?.toSnapshot()).toEqual(session.toSnapshot());
    expect(await ctx.stores.sessions.findById(newId())).toBeNull();
  });

  it("refuses a session for a user that does not exist", async () => {
    await expect(ctx.stores.sessions.insert(aSession(newId("ghost"), ctx.clock.now()))).rejects.toThrow();
  });

  it("moves lastSeenAt forward on touch but never backwards", async () => {
    const { session } = await signedIn();
    const later = seconds(session.lastSeenAt, 120);
    await ctx.stores.sessions.touch(session.id, later);
    expect((await ctx.stores.sessions.findById(session.id))!.lastSeenAt).toEqual(later);

    await ctx.stores.sessions.touch(session.id, seconds(session.lastSeenAt, 60));
    expect((await ctx.stores.sessions.findById(session.id))!.lastSeenAt).toEqual(later);
  });

  describe("rotate", () => {
    it("marks the predecessor rotated to the successor and stores the successor", async () => {
      const { session } = await signedIn();
      const at = ctx.clock.advance({ days: 1 });
      const successor = session.rotate(newId("ses"), at);

      expect(await ctx.stores.sessions.rotate(session, successor)).toBe(true);

      const old = (await ctx.stores.sessions.findById(session.id))!;
      expect(old.rotatedAt).toEqual(at);
      expect(old.replacedBy).toBe(successor.id);
      expect((await ctx.stores.sessions.findById(successor.id))?.toSnapshot()).toEqual(successor.toSnapshot());
    });

    it("refuses a second rotation of the same predecessor and stores no second successor", async () => {
      const { session } = await signedIn();
      const at = ctx.clock.advance({ days: 1 });
      const stale = (await ctx.stores.sessions.findById(session.id))!;
      const first = session.rotate(newId("ses"), at);
      const second = stale.rotate(newId("ses"), at);

      expect(await ctx.stores.sessions.rotate(session, first)).toBe(true);
      expect(await ctx.stores.sessions.rotate(stale, second)).toBe(false);
      expect(await ctx.stores.sessions.findById(second.id)).toBeNull();
      expect((await ctx.stores.sessions.findById(session.id))!.replacedBy).toBe(first.id);
    });

    it("refuses to rotate a revoked session", async () => {
      const { session } = await signedIn();
      await ctx.stores.sessions.revoke(session.id, ctx.clock.now());
      const successor = session.rotate(newId("ses"), ctx.clock.advance(10));
      expect(await ctx.stores.sessions.rotate(session, successor)).toBe(false);
      expect(await ctx.stores.sessions.findById(successor.id)).toBeNull();
    });

    it("never forks a session: of 20 simultaneous rotations exactly one wins", async () => {
      const { userId, session } = await signedIn();
      const at = ctx.clock.advance({ days: 1 });
      const attempts = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const copy = (await ctx.stores.sessions.findById(session.id))!;
          const successor = copy.rotate(newId("ses"), at);
          return { successor, won: await ctx.stores.sessions.rotate(copy, successor) };
        }),
      );
      const winners = attempts.filter((a) => a.won);
      expect(winners).toHaveLength(1);
      const live = await ctx.stores.sessions.listUnrevokedForUser(userId, at);
      expect(live.map((s) => s.id)).toEqual([winners[0]!.successor.id]);
      expect((await ctx.stores.sessions.findById(session.id))!.replacedBy).toBe(winners[0]!.successor.id);
    });
  });

  describe("revoke", () => {
    it("revokes the session and a predecessor that was rotated to it", async () => {
      const { session } = await signedIn();
      const successor = session.rotate(newId("ses"), ctx.clock.advance({ days: 1 }));
      await ctx.stores.sessions.rotate(session, successor);

      const at = ctx.clock.advance(5);
      await ctx.stores.sessions.revoke(successor.id, at);

      expect((await ctx.stores.sessions.findById(successor.id))!.revokedAt).toEqual(at);
      expect((await ctx.stores.sessions.findById(session.id))!.revokedAt).toEqual(at);
    });

    it("leaves the successor alone when the predecessor is revoked", async () => {
      const { session } = await signedIn();
      const successor = session.rotate(newId("ses"), ctx.clock.advance({ days: 1 }));
      await ctx.stores.sessions.rotate(session, successor);
      await ctx.stores.sessions.revoke(session.id, ctx.clock.advance(5));
      expect((await ctx.stores.sessions.findById(successor.id))!.revokedAt).toBeNull();
    });

    it("keeps the first revocation time when revoked again", async () => {
      const { session } = await signedIn();
      const first = ctx.clock.advance(5);
      await ctx.stores.sessions.revoke(session.id, first);
      await ctx.stores.sessions.revoke(session.id, ctx.clock.advance(5));
      expect((await ctx.stores.sessions.findById(session.id))!.revokedAt).toEqual(first);
    });
  });

  describe("revokeAllForUser", () => {
    it("revokes every unrevoked session of the user except the one named, and counts them", async () => {
      const { userId, session: keep } = await signedIn();
      const now = ctx.clock.now();
      const others = [aSession(userId, now), aSession(userId, now)];
      for (const s of others) await ctx.stores.sessions.insert(s);
      const alreadyRevoked = aSession(userId, now);
      await ctx.stores.sessions.insert(alreadyRevoked);
      await ctx.stores.sessions.revoke(alreadyRevoked.id, now);
      const stranger = await signedIn();

      const at = ctx.clock.advance(30);
      expect(await ctx.stores.sessions.revokeAllForUser(userId, at, keep.id)).toBe(2);

      expect((await ctx.stores.sessions.findById(keep.id))!.revokedAt).toBeNull();
      for (const s of others) expect((await ctx.stores.sessions.findById(s.id))!.revokedAt).toEqual(at);
      expect((await ctx.stores.sessions.findById(alreadyRevoked.id))!.revokedAt).toEqual(now);
      expect((await ctx.stores.sessions.findById(stranger.session.id))!.revokedAt).toBeNull();
    });

    it("revokes all of them, the current one included, when none is excepted", async () => {
      const { userId, session } = await signedIn();
      await ctx.stores.sessions.insert(aSession(userId, ctx.clock.now()));
      expect(await ctx.stores.sessions.revokeAllForUser(userId, ctx.clock.advance(1))).toBe(2);
      expect((await ctx.stores.sessions.findById(session.id))!.revokedAt).not.toBeNull();
      expect(await ctx.stores.sessions.listUnrevokedForUser(userId, ctx.clock.now())).toEqual([]);
    });
  });

  describe("listUnrevokedForUser", () => {
    it("lists live sessions newest first, without revoked, rotated-out, expired or other users' ones", async () => {
      const start = ctx.clock.now();
      const { userId, session: oldest } = await signedIn(start);
      const newer = aSession(userId, ctx.clock.advance(60));
      await ctx.stores.sessions.insert(newer);
      const revoked = aSession(userId, ctx.clock.advance(60));
      await ctx.stores.sessions.insert(revoked);
      await ctx.stores.sessions.revoke(revoked.id, ctx.clock.now());
      const rotated = aSession(userId, ctx.clock.advance(60));
      await ctx.stores.sessions.insert(rotated);
      const successor = rotated.rotate(newId("ses"), ctx.clock.advance(60));
      await ctx.stores.sessions.rotate(rotated, successor);
      await signedIn(ctx.clock.now());

      const listed = await ctx.stores.sessions.listUnrevokedForUser(userId, ctx.clock.now());
      expect(listed.map((s) => s.id)).toEqual([successor.id, newer.id, oldest.id]);

      // The absolute expiry keeps counting from sign-in: after it, nothing is listed.
      expect(await ctx.stores.sessions.listUnrevokedForUser(userId, oldest.expiresAt)).toEqual(
        expect.not.arrayContaining([expect.objectContaining({ id: oldest.id })]),
      );
      expect(await ctx.stores.sessions.listUnrevokedForUser(userId, seconds(successor.expiresAt, 1))).toEqual([]);
    });
  });

  describe("keeping the newest live sessions", () => {
    async function sessionsOf(userId: string, count: number): Promise<Session[]> {
      const made: Session[] = [];
      for (let i = 0; i < count; i++) {
        const session = aSession(userId, ctx.clock.advance(60));
        await ctx.stores.sessions.insert(session);
        made.push(session);
      }
      return made;
    }

    it("lists at most `limit` sessions, the newest", async () => {
      const { userId, session: first } = await signedIn();
      const later = await sessionsOf(userId, 3);
      const listed = await ctx.stores.sessions.listUnrevokedForUser(userId, ctx.clock.now(), 2);
      expect(listed.map((s) => s.id)).toEqual([later[2]!.id, later[1]!.id]);
      expect((await ctx.stores.sessions.listUnrevokedForUser(userId, ctx.clock.now())).map((s) => s.id)).toContain(first.id);
    });

    it("revokes the live sessions beyond the newest `keep`, and no one else's", async () => {
      const { userId, session: first } = await signedIn();
      const { userId: otherId, session: others } = await signedIn();
      const later = await sessionsOf(userId, 3);
      const revokedBefore = later[0]!;
      await ctx.stores.sessions.revoke(revokedBefore.id, ctx.clock.now());
      const now = ctx.clock.advance(1);

      const ended = await ctx.stores.sessions.revokeBeyondNewest(userId, 1, now);

      // Live were: later[2], later[1], first (later[0] was already revoked): the two older of them end.
      expect(ended.sort()).toEqual([later[1]!.id, first.id].sort());
      expect((await ctx.stores.sessions.findById(first.id))!.revokedAt).toEqual(now);
      expect((await ctx.stores.sessions.findById(later[2]!.id))!.revokedAt).toBeNull();
      expect((await ctx.stores.sessions.findById(others.id))!.revokedAt).toBeNull();
      expect(otherId).not.toBe(userId);
      expect(await ctx.stores.sessions.revokeBeyondNewest(userId, 1, now)).toEqual([]);
    });
  });
});
