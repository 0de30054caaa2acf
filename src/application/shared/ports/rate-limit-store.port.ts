export interface RateLimitCount {
  /** Hits in the current window, this one included. */
  readonly count: number;
  /** When the current window ends and the count starts again from zero. */
  readonly resetAt: Date;
  /** When the latest hit was recorded. */
  readonly lastAt: Date;
}

/**
 * Counters shared by every instance of the app (PostgreSQL by default, Redis when configured), so a
 * limit holds no matter which instance a request lands on. Fixed windows; each operation is atomic.
 */
export interface RateLimitStore {
  /** Records one hit for `key` and returns the count in its window (a new window if the last has ended). */
  hit(key: string, windowSeconds: number, now: Date): Promise<RateLimitCount>;
  /** The current count without recording a hit; null when there is none or its window has ended. */
  peek(key: string, now: Date): Promise<RateLimitCount | null>;
  reset(key: string): Promise<void>;
}
