import type { PostgresRateLimitStore } from "../../src/infrastructure/persistence/typeorm";
import { RedisRateLimitStore } from "../../src/infrastructure/rate-limit/redis-rate-limit-store";
import { connectTestRedis, redisAvailable, type TestRedis } from "../support/redis";
import { seconds } from "./support/fixtures";
import { eachAdapter, rateLimitAdapters, useAdapter, type RateLimitContext } from "./support/persistence-adapters";

describe.each(eachAdapter(rateLimitAdapters()))("RateLimitStore on %s", (_name, adapter) => {
  const ctx = useAdapter(adapter, {} as RateLimitContext);
  const t0 = new Date("2030-01-01T00:00:00.000Z");

  it("opens a window with the first hit", async () => {
    expect(await ctx.store.hit("ip:203.0.113.9", 60, t0)).toEqual({ count: 1, resetAt: seconds(t0, 60), lastAt: t0 });
  });

  it("counts further hits in the same window without moving its end", async () => {
    await ctx.store.hit("k", 60, t0);
    await ctx.store.hit("k", 60, seconds(t0, 10));
    expect(await ctx.store.hit("k", 60, seconds(t0, 59))).toEqual({
      count: 3,
      resetAt: seconds(t0, 60),
      lastAt: seconds(t0, 59),
    });
  });

  it("starts again from one when the window has ended", async () => {
    await ctx.store.hit("k", 60, t0);
    await ctx.store.hit("k", 60, seconds(t0, 30));
    expect(await ctx.store.hit("k", 60, seconds(t0, 60))).toEqual({
      count: 1,
      resetAt: seconds(t0, 120),
      lastAt: seconds(t0, 60),
    });
  });

  it("peeks at the count without recording a hit", async () => {
    await ctx.store.hit("k", 60, t0);
    await ctx.store.hit("k", 60, seconds(t0, 5));
    const expected = { count: 2, resetAt: seconds(t0, 60), lastAt: seconds(t0, 5) };
    expect(await ctx.store.peek("k", seconds(t0, 20))).toEqual(expected);
    expect(await ctx.store.peek("k", seconds(t0, 20))).toEqual(expected);
  });

  it("peeks at nothing for an unknown key or an ended window", async () => {
    expect(await ctx.store.peek("never", t0)).toBeNull();
    await ctx.store.hit("k", 60, t0);
    expect(await ctx.store.peek("k", seconds(t0, 60))).toBeNull();
  });

  it("forgets a key on reset", async () => {
    await ctx.store.hit("k", 60, t0);
    await ctx.store.reset("k");
    expect(await ctx.store.peek("k", t0)).toBeNull();
    expect((await ctx.store.hit("k", 60, seconds(t0, 1))).count).toBe(1);
    await expect(ctx.store.reset("unknown")).resolves.toBeUndefined();
  });

  it("keeps keys apart", async () => {
    await ctx.store.hit("account:ann@example.com", 60, t0);
    await ctx.store.hit("account:ann@example.com", 60, t0);
    expect((await ctx.store.hit("account:bob@example.com", 60, t0)).count).toBe(1);
    expect((await ctx.store.peek("account:ann@example.com", t0))!.count).toBe(2);
  });

  it("loses no hit and counts none twice when 30 arrive at once", async () => {
    const counts = await Promise.all(Array.from({ length: 30 }, () => ctx.store.hit("burst", 900, t0)));
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(counts.map((c) => c.resetAt.getTime()))).toEqual(new Set([seconds(t0, 900).getTime()]));
  });

  it("handles long windows (30 days) and keys with any characters", async () => {
    const key = "fail:ÄNN@例え.jp:'; DROP TABLE x; --";
    const window = 30 * 24 * 3600;
    expect(await ctx.store.hit(key, window, t0)).toEqual({ count: 1, resetAt: seconds(t0, window), lastAt: t0 });
    expect((await ctx.store.peek(key, seconds(t0, window - 1)))!.count).toBe(1);
  });
});

describe("RateLimitStore housekeeping", () => {
  const t0 = new Date("2030-01-01T00:00:00.000Z");

  if (redisAvailable()) {
    describe("on Redis", () => {
      let redis: TestRedis;
      beforeAll(async () => {
        redis = await connectTestRedis("ratelimit-ttl");
      });
      afterAll(() => redis.close());

      it("lets a counter expire with its window, so idle keys do not pile up", async () => {
        const store = new RedisRateLimitStore(redis.redis, { keyPrefix: redis.prefix });
        await store.hit("ttl", 120, t0);
        const ttl = await redis.redis.pttl(`${redis.prefix}ttl`);
        expect(ttl).toBeGreaterThan(110_000);
        expect(ttl).toBeLessThanOrEqual(120_000);
        await store.hit("ttl", 120, seconds(t0, 100));
        expect(await redis.redis.pttl(`${redis.prefix}ttl`)).toBeLessThanOrEqual(20_000);
      });

      it("keeps to its own key prefix", async () => {
        const a = new RedisRateLimitStore(redis.redis, { keyPrefix: `${redis.prefix}a:` });
        const b = new RedisRateLimitStore(redis.redis, { keyPrefix: `${redis.prefix}b:` });
        await a.hit("same", 60, t0);
        expect((await b.hit("same", 60, t0)).count).toBe(1);
      });
    });
  }

  describe.each(eachAdapter(rateLimitAdapters().filter((a) => a.sql)))("on %s", (_name, adapter) => {
    const ctx = useAdapter(adapter, {} as RateLimitContext);

    it("drops counters whose window has ended and keeps the live ones", async () => {
      const store = ctx.store as PostgresRateLimitStore;
      await store.hit("short", 60, t0);
      await store.hit("long", 3600, t0);
      expect(await store.deleteExpired(seconds(t0, 60))).toBe(1);
      expect(await store.peek("long", seconds(t0, 60))).not.toBeNull();
      expect((await store.hit("short", 60, seconds(t0, 61))).count).toBe(1);
    });
  });
});
