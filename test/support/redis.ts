import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { probeSync, requireServer } from "./postgres";

export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const REDIS_PROBE = `
const Redis = require("ioredis");
const redis = new Redis(process.env.PROBE_URL, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
redis.on("error", () => {});
redis.connect().then(() => redis.ping()).then(() => redis.quit()).then(
  () => process.exit(0),
  (error) => { console.error(error.message || String(error)); process.exit(1); });
`;

/** True when Redis answers at REDIS_URL; with CI=true an unreachable Redis registers a failing test. */
export function redisAvailable(): boolean {
  return requireServer("Redis", TEST_REDIS_URL, probeSync(REDIS_PROBE, TEST_REDIS_URL));
}

export interface TestRedis {
  readonly redis: Redis;
  /** A key prefix of this suite's own, so suites sharing the server never see each other's keys. */
  readonly prefix: string;
  /** Deletes this suite's keys. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

export async function connectTestRedis(label = "suite"): Promise<TestRedis> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = `test:${label}:${process.pid}:${randomBytes(4).toString("hex")}:`;
  const clear = async () => {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  };
  return {
    redis,
    prefix,
    clear,
    close: async () => {
      await clear();
      await redis.quit();
    },
  };
}
