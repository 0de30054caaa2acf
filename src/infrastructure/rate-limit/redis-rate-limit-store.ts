import type { Redis } from "ioredis";
import type { RateLimitCount, RateLimitStore } from "../../application/shared/ports/rate-limit-store.port";

// Times are the application clock's milliseconds (passed in), not the Redis server's, so every
// store agrees with the Clock port. The key expires with its window; a stale key left by a clock
// that moved faster than Redis's is treated as a new window anyway.
const HIT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local reset = tonumber(redis.call('HGET', KEYS[1], 'reset'))
local count
if reset == nil or reset <= now then
  reset = now + window
  count = 1
  redis.call('HSET', KEYS[1], 'count', 1, 'reset', reset, 'last', now)
else
  count = redis.call('HINCRBY', KEYS[1], 'count', 1)
  redis.call('HSET', KEYS[1], 'last', now)
end
redis.call('PEXPIRE', KEYS[1], math.max(reset - now, 1))
return {count, tostring(reset), tostring(now)}
`;

type HitCommand = (key: string, nowMs: string, windowMs: string) => Promise<[number, string, string]>;

export interface RedisRateLimitStoreOptions {
  /** Prepended to every key, so several apps (or test runs) can share one Redis. Default `rl:`. */
  readonly keyPrefix?: string;
}

/** Fixed-window counters in Redis hashes; each hit is one Lua script, atomic on the server. */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly prefix: string;
  private readonly hitScript: HitCommand;

  constructor(
    private readonly redis: Redis,
    options: RedisRateLimitStoreOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? "rl:";
    // defineCommand sends the script once and then calls it by its SHA (EVALSHA).
    const commands = this.redis as unknown as { rateLimitHit?: HitCommand };
    if (!commands.rateLimitHit) this.redis.defineCommand("rateLimitHit", { numberOfKeys: 1, lua: HIT });
    this.hitScript = (commands.rateLimitHit as HitCommand).bind(this.redis);
  }

  async hit(key: string, windowSeconds: number, now: Date): Promise<RateLimitCount> {
    const [count, reset, last] = await this.hitScript(
      this.prefix + key,
      String(now.getTime()),
      String(Math.round(windowSeconds * 1000)),
    );
    return { count: Number(count), resetAt: new Date(Number(reset)), lastAt: new Date(Number(last)) };
  }

  async peek(key: string, now: Date): Promise<RateLimitCount | null> {
    const [count, reset, last] = await this.redis.hmget(this.prefix + key, "count", "reset", "last");
    if (count === null || reset === null || Number(reset) <= now.getTime()) return null;
    return { count: Number(count), resetAt: new Date(Number(reset)), lastAt: new Date(Number(last ?? reset)) };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
