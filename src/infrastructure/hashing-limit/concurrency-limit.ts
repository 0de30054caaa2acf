import { Overloaded } from "./overloaded";

export interface ConcurrencyLimitOptions {
  /** Tasks running at once. */
  readonly maxConcurrent: number;
  /** Tasks waiting for a slot; one more is refused at once. */
  readonly maxQueue: number;
  /** A waiting task refused after this long: by then its client has likely given up anyway. */
  readonly maxWaitMs: number;
}

export interface ConcurrencyLimitStats {
  running: number;
  queued: number;
  /** Highest number seen running at once. */
  peakRunning: number;
  completed: number;
  /** Refused because the queue was full. */
  rejectedFull: number;
  /** Refused after waiting `maxWaitMs`. */
  rejectedTimeout: number;
}

interface Waiter {
  readonly start: () => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * A counting semaphore with a short FIFO queue that refuses instead of growing: under a flood the
 * excess fails fast with `Overloaded` and the CPU and thread pool stay available to everything else.
 */
export class ConcurrencyLimit {
  readonly stats: ConcurrencyLimitStats = {
    running: 0,
    queued: 0,
    peakRunning: 0,
    completed: 0,
    rejectedFull: 0,
    rejectedTimeout: 0,
  };
  private readonly waiting: Waiter[] = [];
  /** Rolling average of a task's run time, for a Retry-After that means something. */
  private averageMs = 50;

  constructor(private readonly options: ConcurrencyLimitOptions) {
    if (!Number.isInteger(options.maxConcurrent) || options.maxConcurrent < 1) {
      throw new RangeError("maxConcurrent must be a positive integer");
    }
    if (!Number.isInteger(options.maxQueue) || options.maxQueue < 0) throw new RangeError("maxQueue must be ≥ 0");
    if (!(options.maxWaitMs > 0)) throw new RangeError("maxWaitMs must be positive");
  }

  /**
   * True while a new task would be refused at once. Lets an entry point answer 503 before doing any
   * work of its own (parsing, a database lookup) for a request that would end in a refusal anyway.
   */
  get saturated(): boolean {
    return this.stats.running >= this.options.maxConcurrent && this.waiting.length >= this.options.maxQueue;
  }

  /** The refusal a new task would get right now, or null while it would run or queue. */
  refusal(): Overloaded | null {
    return this.saturated ? this.overloaded() : null;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.stats.running >= this.options.maxConcurrent) await this.waitForSlot();
    else this.stats.running++;
    this.stats.peakRunning = Math.max(this.stats.peakRunning, this.stats.running);
    const started = performance.now();
    try {
      return await task();
    } finally {
      this.averageMs = this.averageMs * 0.9 + (performance.now() - started) * 0.1;
      this.stats.completed++;
      this.release();
    }
  }

  private waitForSlot(): Promise<void> {
    if (this.waiting.length >= this.options.maxQueue) {
      this.stats.rejectedFull++;
      return Promise.reject(this.overloaded());
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        // The slot is handed over by `release` without the running count ever dropping, so a task
        // arriving in between cannot jump the queue.
        start: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
          this.stats.queued = this.waiting.length;
          this.stats.rejectedTimeout++;
          reject(this.overloaded());
        }, this.options.maxWaitMs),
      };
      this.waiting.push(waiter);
      this.stats.queued = this.waiting.length;
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    this.stats.queued = this.waiting.length;
    if (next) next.start();
    else this.stats.running--;
  }

  private overloaded(): Overloaded {
    const backlog = (this.waiting.length + this.stats.running) / this.options.maxConcurrent;
    return new Overloaded(Math.max(1, Math.ceil((backlog * this.averageMs) / 1000)));
  }
}
