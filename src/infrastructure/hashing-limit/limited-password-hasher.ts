import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import type { PasswordHasher } from "../../application/shared/ports/password-hasher.port";
import type { Password, PasswordHash } from "../../domain/identity/password";
import { ConcurrencyLimit, type ConcurrencyLimitOptions } from "./concurrency-limit";
import type { Overloaded } from "./overloaded";

/**
 * What the HTTP edge asks before a request that will hash a password (sign-up, sign-in): when the
 * hasher would refuse it anyway, the request is refused before its body is read or a query runs, so
 * a flood costs as little as possible besides the hashes already running.
 */
export interface HashingLoad {
  refusal(): Overloaded | null;
  /** Hashes running, waiting, and refused so far (metrics). */
  load(): { readonly running: number; readonly queued: number; readonly refused: number };
}

/**
 * Defaults for a memory-hard hash of about 20–30 ms per call: one hash per core while the event loop
 * has little else to do, one per core but one while it is busy serving requests (so a sign-in flood
 * leaves a core to pages and API calls; never fewer than one); a queue of 8 per core, and at most a
 * second of waiting. On 2 cores: 2 running when idle, 1 when busy, 16 waiting.
 */
export function defaultHashingLimit(cores: number = availableParallelism()): ConcurrencyLimitOptions {
  const maxConcurrent = Math.max(1, cores);
  const maxConcurrentWhenBusy = Math.max(1, cores - 1);
  // The queue absorbs a burst of honest sign-ins (8 per core wait at most a few hundred ms); beyond
  // it, and beyond a second of waiting, the excess is refused at once.
  return { maxConcurrent, maxConcurrentWhenBusy, maxQueue: maxConcurrent * 8, maxWaitMs: 1000 };
}

/**
 * True while the event loop was busy (utilization above `threshold`, by default three quarters) over the last sampling window:
 * requests are being served, and another hashing thread would take CPU from them. One sampler per
 * process, started on first use; its timer never keeps the process alive.
 */
export function eventLoopBusy(threshold = 0.75, windowMs = 100): () => boolean {
  const key = `${threshold}:${windowMs}`;
  let sampler = samplers.get(key);
  if (!sampler) {
    let busy = false;
    let last = performance.eventLoopUtilization();
    const timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      busy = performance.eventLoopUtilization(now, last).utilization > threshold;
      last = now;
    }, windowMs);
    timer.unref();
    sampler = () => busy;
    samplers.set(key, sampler);
  }
  return sampler;
}
const samplers = new Map<string, () => boolean>();

/**
 * `PASSWORD_HASH_CONCURRENCY` and `PASSWORD_HASH_QUEUE` override the defaults (the queue follows the
 * concurrency, twice as deep, unless set). Read here while the validated configuration does not carry
 * them yet; a bad value stops the start with one line naming the variable.
 */
export function hashingLimitFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cores: number = availableParallelism(),
): ConcurrencyLimitOptions {
  const defaults = defaultHashingLimit(cores);
  const read = (name: string, min: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === "") return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > 1024) {
      throw new RangeError(`${name} must be an integer from ${min} to 1024; got "${raw}"`);
    }
    return value;
  };
  const fixed = read("PASSWORD_HASH_CONCURRENCY", 1);
  const queue = read("PASSWORD_HASH_QUEUE", 0);
  // A concurrency set by the operator is fixed: it does not shrink while the event loop is busy.
  if (fixed !== undefined) return { maxConcurrent: fixed, maxQueue: queue ?? fixed * 2, maxWaitMs: defaults.maxWaitMs };
  return queue === undefined ? defaults : { ...defaults, maxQueue: queue };
}

/**
 * Bounds the password hashes and verifies running at once. Beyond the bound and its short queue a
 * call throws `Overloaded` at once instead of piling up work: argon2 runs on libuv's thread pool,
 * and an unbounded flood would occupy every thread and both cores, starving requests that never
 * hash. `verifyDummy` goes through the same limit, so a refusal says nothing about the account.
 */
export class ConcurrencyLimitedPasswordHasher implements PasswordHasher, HashingLoad {
  readonly limit: ConcurrencyLimit;

  constructor(
    private readonly inner: PasswordHasher,
    options: Partial<ConcurrencyLimitOptions> = {},
  ) {
    this.limit = new ConcurrencyLimit({ busy: eventLoopBusy(), ...hashingLimitFromEnv(), ...options });
  }

  refusal(): Overloaded | null {
    return this.limit.refusal();
  }

  load(): { running: number; queued: number; refused: number } {
    const { running, queued, rejectedFull, rejectedTimeout } = this.limit.stats;
    return { running, queued, refused: rejectedFull + rejectedTimeout };
  }

  hash(password: Password): Promise<PasswordHash> {
    return this.limit.run(() => this.inner.hash(password));
  }

  verify(hash: PasswordHash, plain: string): Promise<boolean> {
    return this.limit.run(() => this.inner.verify(hash, plain));
  }

  needsRehash(hash: PasswordHash): boolean {
    return this.inner.needsRehash(hash);
  }

  verifyDummy(plain: string): Promise<void> {
    return this.limit.run(() => this.inner.verifyDummy(plain));
  }
}
