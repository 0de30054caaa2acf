import { Overloaded } from "./overloaded";

export interface ConcurrencyLimitOptions {
  /** Tasks running at once. */
  readonly maxConcurrent: number;
  /**
   * Tasks running at once while `busy()` says the rest of the process needs the CPU (default:
   * `maxConcurrent`, i.e. no difference). Lets hashing use every core when nothing else wants one,
   * and leave one to request handling when something does.
   */
  readonly maxConcurrentWhenBusy?: number;
  readonly busy?: () => boolean;
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
    const whenBusy = options.maxConcurrentWhenBusy;
    if (whenBusy !== undefined && (!Number.isInteger(whenBusy) || whenBusy < 1 || whenBusy > options.maxConcurrent)) {
      throw new RangeError("maxConcurrentWhenBusy must be a positive integer no larger than maxConcurrent");
    }
    if (!Number.isInteger(options.maxQueue) || options.maxQueue < 0) throw new RangeError("maxQueue must be ≥ 0");
    if (!(options.maxWaitMs > 0)) throw new RangeError("maxWaitMs must be positive");
  }

  /**
   * True while a new task would be refused at once. Lets an entry point answer 503 before doing any
   * work of its own (parsing, a database lookup) for a request that would end in a refusal anyway.
   */
  get saturated(): boolean {
    return this.stats.running >= this.allowed() && this.waiting.length >= this.options.maxQueue;
  }

  /** How many may run at once right now. */
  private allowed(): number {
    const { maxConcurrent, maxConcurrentWhenBusy, busy } = this.options;
    return maxConcurrentWhenBusy !== undefined && maxConcurrentWhenBusy < maxConcurrent && busy?.() ? maxConcurrentWhenBusy : maxConcurrent;
  }

  /** The refusal a new task would get right now, or null while it would run or queue. */
  refusal(): Overloaded | null {
    return this.saturated ? this.overloaded() : null;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    this.drain();
    if (this.stats.running >= this.allowed() || this.waiting.length > 0) await this.waitForSlot();
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
        // Called by `drain`, which has already counted this task as running.
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
    this.stats.running--;
    this.drain();
  }

  /**
   * Starts waiting tasks, oldest first, while fewer than allowed are running (after a release, or when
   * the limit has just risen). Synchronous, so a task arriving meanwhile cannot jump the queue.
   */
  private drain(): void {
    while (this.waiting.length > 0 && this.stats.running < this.allowed()) {
      this.stats.running++;
      this.waiting.shift()!.start();
    }
    this.stats.queued = this.waiting.length;
  }

  private overloaded(): Overloaded {
    const backlog = (this.waiting.length + this.stats.running) / this.allowed();
    return new Overloaded(Math.max(1, Math.ceil((backlog * this.averageMs) / 1000)));
  }
}
