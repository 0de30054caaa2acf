import { availableParallelism } from "node:os";
import type { PasswordHasher } from "../../application/ports/password-hasher.port";
import type { Password, PasswordHash } from "../../domain/user/password";
import { ConcurrencyLimit, type ConcurrencyLimitOptions } from "./concurrency-limit";

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
 * Bounds the password hashes and verifies running at once. Beyond the bound and its short queue a
 * call throws `Overloaded` at once instead of piling up work: argon2 runs on libuv's thread pool,
 * and an unbounded flood would occupy every thread and both cores, starving requests that never
 * hash. `verifyDummy` goes through the same limit, so a refusal says nothing about the account.
 */
export class ConcurrencyLimitedPasswordHasher implements PasswordHasher {
  readonly limit: ConcurrencyLimit;

  constructor(
    private readonly inner: PasswordHasher,
    options: Partial<ConcurrencyLimitOptions> = {},
  ) {
    this.limit = new ConcurrencyLimit({ ...defaultHashingLimit(), ...options });
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
