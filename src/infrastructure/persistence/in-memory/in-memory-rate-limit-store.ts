import type { RateLimitCount, RateLimitStore } from "../../../application/shared/ports/rate-limit-store.port";

/**
 * Fixed-window counters in a map. Not part of the in-memory database on purpose: a counter must
 * survive the rollback of the request that hit it (a failed sign-in rolls back, its failure counts).
 */
export class InMemoryRateLimitStore implements RateLimitStore {
  private readonly counters = new Map<string, RateLimitCount>();

  async hit(key: string, windowSeconds: number, now: Date): Promise<RateLimitCount> {
    const current = this.counters.get(key);
    const next: RateLimitCount =
      current && now < current.resetAt
        ? { count: current.count + 1, resetAt: current.resetAt, lastAt: now }
        : { count: 1, resetAt: new Date(now.getTime() + windowSeconds * 1000), lastAt: now };
    this.counters.set(key, next);
    return next;
  }

  async peek(key: string, now: Date): Promise<RateLimitCount | null> {
    const current = this.counters.get(key);
    return current && now < current.resetAt ? current : null;
  }

  async reset(key: string): Promise<void> {
    this.counters.delete(key);
  }

  /** Drops at most `limit` counters whose window ended at or before `now`; returns how many. */
  deleteExpired(now: Date, limit: number): number {
    let deleted = 0;
    for (const [key, counter] of this.counters) {
      if (deleted >= limit) break;
      if (counter.resetAt <= now) {
        this.counters.delete(key);
        deleted++;
      }
    }
    return deleted;
  }

  /** Forgets every counter (between test cases). */
  clear(): void {
    this.counters.clear();
  }
}
