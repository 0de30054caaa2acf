import { availableParallelism } from "node:os";
import type { PasswordHasher } from "../../application/ports/password-hasher.port";
import type { Password, PasswordHash } from "../../domain/user/password";
import { ConcurrencyLimit, type ConcurrencyLimitOptions } from "./concurrency-limit";
import type { Overloaded } from "./overloaded";

/**
 * What the HTTP edge asks before a request that will hash a password (sign-up, sign-in): when the
 * hasher would refuse it anyway, the request is refused before its body is read or a query runs, so
 * a flood costs as little as possible besides the hashes already running.
 */
export interface HashingLoad {
  refusal(): Overloaded | null;
}

/**
 * Defaults for a memory-hard hash of about 20 ms per call: one hash per core but one, so a sign-in
 * flood leaves a core to serve pages and API calls (never fewer than one); a queue twice that deep,
 * and at most a second of waiting. On 2 cores: 1 running, 2 waiting.
 */
export function defaultHashingLimit(cores: number = availableParallelism()): ConcurrencyLimitOptions {
  const maxConcurrent = Math.max(1, cores - 1);
  return { maxConcurrent, maxQueue: maxConcurrent * 2, maxWaitMs: 1000 };
}

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
  const maxConcurrent = read("PASSWORD_HASH_CONCURRENCY", 1) ?? defaults.maxConcurrent;
  const maxQueue = read("PASSWORD_HASH_QUEUE", 0) ?? maxConcurrent * 2;
  return { maxConcurrent, maxQueue, maxWaitMs: defaults.maxWaitMs };
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
    this.limit = new ConcurrencyLimit({ ...hashingLimitFromEnv(), ...options });
  }

  refusal(): Overloaded | null {
    return this.limit.refusal();
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
