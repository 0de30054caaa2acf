import { ExchangeDeviceCode } from "../../src/application/devices";
import { DEFAULT_AUTH_SETTINGS } from "../../src/application/shared/auth-settings";
import { DeviceAuthorization } from "../../src/domain/device/device-authorization";
import { DeviceToken } from "../../src/domain/device/device-token";
import { NodeRandomTokens } from "../../src/infrastructure/crypto/node-random-tokens";
import { aUser, anApiKey, newId } from "./support/fixtures";
import { eachAdapter, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

const random = new NodeRandomTokens();
let codes = 0;

function anAuthorization(now: Date, options: { deviceCode?: string; userCode?: string; ttlSeconds?: number } = {}): DeviceAuthorization {
  codes += 1;
  return DeviceAuthorization.create(
    {
      id: newId("dva"),
      deviceCodeHash: random.hash(options.deviceCode ?? random.newSecret()),
      userCode: options.userCode ?? `BCDF${"GHJK"[codes % 4]}${"LMNP"[(codes >> 2) % 4]}${"QRST"[(codes >> 4) % 4]}${"VWXZ"[(codes >> 6) % 4]}`,
      clientId: "cli",
      scope: null,
      requestIp: "198.51.100.9",
    },
    now,
    options.ttlSeconds ?? 600,
  );
}

function aDeviceToken(userId: string, authorizationId: string, now: Date, ttlSeconds = 3600): DeviceToken {
  return DeviceToken.create(
    {
      id: newId("dvt"),
      userId,
      authorizationId,
      clientId: "cli",
      clientName: "Command line",
      prefix: random.hash(random.newId()).slice(0, 16),
      secretHash: random.hash(random.newSecret()),
      ip: "198.51.100.9",
    },
    now,
    ttlSeconds,
  );
}

describe.each(eachAdapter(persistenceAdapters()))("Device stores on %s", (_name, adapter) => {
  const ctx = usePersistence(adapter);

  async function aUserId(): Promise<string> {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    return user.id;
  }

  describe("DeviceAuthorizationRepository", () => {
    it("finds a code by its device code hash and by its user code, with every field", async () => {
      const authorization = anAuthorization(ctx.clock.now(), { deviceCode: "the-device-code" });
      expect(await ctx.stores.deviceAuthorizations.insert(authorization)).toBe(true);
      expect((await ctx.stores.deviceAuthorizations.findByDeviceCodeHash(random.hash("the-device-code")))?.toSnapshot()).toEqual(authorization.toSnapshot());
      expect((await ctx.stores.deviceAuthorizations.findByUserCode(authorization.userCode))?.id).toBe(authorization.id);
      expect(await ctx.stores.deviceAuthorizations.findByDeviceCodeHash(random.hash("other"))).toBeNull();
      expect(await ctx.stores.deviceAuthorizations.findByUserCode("ZZZZZZZZ")).toBeNull();
    });

    it("answers false for a user code already taken, and stores nothing", async () => {
      const first = anAuthorization(ctx.clock.now(), { userCode: "WDJBMJHT" });
      expect(await ctx.stores.deviceAuthorizations.insert(first)).toBe(true);
      const clash = anAuthorization(ctx.clock.now(), { userCode: "WDJBMJHT" });
      expect(await ctx.stores.deviceAuthorizations.insert(clash)).toBe(false);
      expect(await ctx.stores.deviceAuthorizations.findByDeviceCodeHash(clash.deviceCodeHash)).toBeNull();
    });

    it("records a poll only after the interval, and remembers a slower interval", async () => {
      const authorization = anAuthorization(ctx.clock.now());
      await ctx.stores.deviceAuthorizations.insert(authorization);
      expect(await ctx.stores.deviceAuthorizations.recordPoll(authorization.id, ctx.clock.now())).toBe(true);
      expect(await ctx.stores.deviceAuthorizations.recordPoll(authorization.id, ctx.clock.advance(4))).toBe(false);
      expect(await ctx.stores.deviceAuthorizations.slowDown(authorization.id, 5)).toBe(10);
      expect(await ctx.stores.deviceAuthorizations.recordPoll(authorization.id, ctx.clock.advance(5))).toBe(false);
      expect(await ctx.stores.deviceAuthorizations.recordPoll(authorization.id, ctx.clock.advance(1))).toBe(true);
      expect((await ctx.stores.deviceAuthorizations.findByUserCode(authorization.userCode))).toMatchObject({ intervalSeconds: 10, lastPolledAt: ctx.clock.now() });
    });

    it("takes one decision on a pending, unexpired code, and redeems an approved one once", async () => {
      const userId = await aUserId();
      const authorization = anAuthorization(ctx.clock.now());
      await ctx.stores.deviceAuthorizations.insert(authorization);
      expect(await ctx.stores.deviceAuthorizations.redeem(authorization.id, ctx.clock.now())).toBe(false);
      expect(await ctx.stores.deviceAuthorizations.decide(authorization.id, "approved", userId, ctx.clock.now())).toBe(true);
      expect(await ctx.stores.deviceAuthorizations.decide(authorization.id, "denied", userId, ctx.clock.now())).toBe(false);
      expect(await ctx.stores.deviceAuthorizations.redeem(authorization.id, ctx.clock.now())).toBe(true);
      expect(await ctx.stores.deviceAuthorizations.redeem(authorization.id, ctx.clock.now())).toBe(false);
      expect((await ctx.stores.deviceAuthorizations.findByUserCode(authorization.userCode))).toMatchObject({ status: "redeemed", userId });
    });

    it("decides and redeems nothing once the code has expired", async () => {
      const userId = await aUserId();
      const expiring = anAuthorization(ctx.clock.now(), { ttlSeconds: 60 });
      const approved = anAuthorization(ctx.clock.now(), { ttlSeconds: 60 });
      await ctx.stores.deviceAuthorizations.insert(expiring);
      await ctx.stores.deviceAuthorizations.insert(approved);
      await ctx.stores.deviceAuthorizations.decide(approved.id, "approved", userId, ctx.clock.now());
      const later = ctx.clock.advance(60);
      expect(await ctx.stores.deviceAuthorizations.decide(expiring.id, "approved", userId, later)).toBe(false);
      expect(await ctx.stores.deviceAuthorizations.redeem(approved.id, later)).toBe(false);
    });

    it("lets exactly one of many concurrent redemptions win, each in its own transaction", async () => {
      const userId = await aUserId();
      const authorization = anAuthorization(ctx.clock.now());
      await ctx.stores.deviceAuthorizations.insert(authorization);
      await ctx.stores.deviceAuthorizations.decide(authorization.id, "approved", userId, ctx.clock.now());
      const now = ctx.clock.now();
      const attempts = await Promise.all(
        Array.from({ length: 10 }, () =>
          ctx.uow.run(async (stores) => {
            if (!(await stores.deviceAuthorizations.redeem(authorization.id, now))) return false;
            await stores.deviceTokens.insert(aDeviceToken(userId, authorization.id, now));
            return true;
          }),
        ),
      );
      expect(attempts.filter(Boolean)).toHaveLength(1);
      expect(await ctx.stores.deviceTokens.listActiveForUser(userId, now)).toHaveLength(1);
    });

    it("gives concurrent polls of an approved code exactly one token (ExchangeDeviceCode on these stores)", async () => {
      const userId = await aUserId();
      const settings = DEFAULT_AUTH_SETTINGS;
      const exchange = new ExchangeDeviceCode(ctx.stores, ctx.uow, random, ctx.clock, settings);
      const authorization = anAuthorization(ctx.clock.now(), { deviceCode: "polled-device-code" });
      await ctx.stores.deviceAuthorizations.insert(authorization);
      await ctx.stores.deviceAuthorizations.decide(authorization.id, "approved", userId, ctx.clock.now());
      const results = await Promise.all(Array.from({ length: 12 }, () => exchange.execute({ clientId: "cli", deviceCode: "polled-device-code" })));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      // A poll that races the winner is too soon; one that reads the code after the redemption finds it spent.
      for (const loser of results.filter((r) => !r.ok)) expect(["SLOW_DOWN", "INVALID_GRANT"]).toContain(!loser.ok && loser.error.code);
      expect(await ctx.stores.deviceTokens.listActiveForUser(userId, ctx.clock.now())).toHaveLength(1);
    });
  });

  describe("DeviceTokenRepository", () => {
    async function anInsertedToken(userId: string, ttlSeconds = 3600): Promise<DeviceToken> {
      const authorization = anAuthorization(ctx.clock.now());
      await ctx.stores.deviceAuthorizations.insert(authorization);
      const token = aDeviceToken(userId, authorization.id, ctx.clock.now(), ttlSeconds);
      await ctx.stores.deviceTokens.insert(token);
      return token;
    }

    it("finds a token by its prefix with every field", async () => {
      const token = await anInsertedToken(await aUserId());
      expect((await ctx.stores.deviceTokens.findByPrefix(token.prefix))?.toSnapshot()).toEqual(token.toSnapshot());
      expect(await ctx.stores.deviceTokens.findByPrefix("0000000000000000")).toBeNull();
    });

    it("refuses a second token for the same authorization, and a token for nobody", async () => {
      const userId = await aUserId();
      const token = await anInsertedToken(userId);
      await expect(ctx.stores.deviceTokens.insert(aDeviceToken(userId, token.authorizationId, ctx.clock.now()))).rejects.toThrow();
      await expect(ctx.stores.deviceTokens.insert(aDeviceToken(newId("ghost"), newId("dva"), ctx.clock.now()))).rejects.toThrow();
    });

    it("lists a user's live tokens newest first: not revoked, not expired, nobody else's", async () => {
      const userId = await aUserId();
      const older = await anInsertedToken(userId);
      ctx.clock.advance(60);
      const newer = await anInsertedToken(userId);
      const revoked = await anInsertedToken(userId);
      const shortLived = await anInsertedToken(userId, 300);
      await anInsertedToken(await aUserId());
      await ctx.stores.deviceTokens.revoke(revoked.id, userId, ctx.clock.now());
      ctx.clock.advance(300);
      expect(shortLived.isActive(ctx.clock.now())).toBe(false);
      expect((await ctx.stores.deviceTokens.listActiveForUser(userId, ctx.clock.now())).map((t) => t.id)).toEqual([newer.id, older.id]);
    });

    it("records last use unless a use at or after `notBefore` is already recorded", async () => {
      const token = await anInsertedToken(await aUserId());
      const first = ctx.clock.now();
      await ctx.stores.deviceTokens.recordUse(token.id, first, new Date(first.getTime() - 60_000));
      const second = ctx.clock.advance(30);
      await ctx.stores.deviceTokens.recordUse(token.id, second, new Date(second.getTime() - 60_000));
      expect((await ctx.stores.deviceTokens.findByPrefix(token.prefix))?.lastUsedAt).toEqual(first);
      const third = ctx.clock.advance(31);
      await ctx.stores.deviceTokens.recordUse(token.id, third, new Date(third.getTime() - 60_000));
      expect((await ctx.stores.deviceTokens.findByPrefix(token.prefix))?.lastUsedAt).toEqual(third);
    });

    it("revokes only the owner's token, once; revokes all of a user's live tokens", async () => {
      const owner = await aUserId();
      const other = await aUserId();
      const token = await anInsertedToken(owner);
      await anInsertedToken(owner);
      const kept = await anInsertedToken(other);
      expect(await ctx.stores.deviceTokens.revoke(token.id, other, ctx.clock.now())).toBe(false);
      expect(await ctx.stores.deviceTokens.revoke(token.id, owner, ctx.clock.now())).toBe(true);
      expect(await ctx.stores.deviceTokens.revoke(token.id, owner, ctx.clock.now())).toBe(false);
      expect(await ctx.stores.deviceTokens.revokeAllForUser(owner, ctx.clock.now())).toBe(1);
      expect(await ctx.stores.deviceTokens.listActiveForUser(owner, ctx.clock.now())).toEqual([]);
      expect((await ctx.stores.deviceTokens.findByPrefix(kept.prefix))?.revokedAt).toBeNull();
    });

    it("goes with its user when the account is deleted", async () => {
      const userId = await aUserId();
      const token = await anInsertedToken(userId);
      await ctx.stores.users.delete(userId);
      expect(await ctx.stores.deviceTokens.findByPrefix(token.prefix)).toBeNull();
    });
  });

  it("ApiKeyRepository records last use at most once per resolution window", async () => {
    const key = anApiKey(await aUserId(), ctx.clock.now());
    await ctx.stores.apiKeys.insert(key);
    const first = ctx.clock.now();
    await ctx.stores.apiKeys.recordUse(key.id, first, new Date(first.getTime() - 60_000));
    const second = ctx.clock.advance(59);
    await ctx.stores.apiKeys.recordUse(key.id, second, new Date(second.getTime() - 60_000));
    expect((await ctx.stores.apiKeys.findByPrefix(key.prefix))?.lastUsedAt).toEqual(first);
  });
});
