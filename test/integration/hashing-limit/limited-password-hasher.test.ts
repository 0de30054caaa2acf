import { pbkdf2 } from "node:crypto";
import type { PasswordHasher } from "../../../src/application/shared/ports/password-hasher.port";
import type { Password, PasswordHash } from "../../../src/domain/identity/password";
import { Argon2PasswordHasher } from "../../../src/infrastructure/crypto/argon2-password-hasher";
import {
  ConcurrencyLimitedPasswordHasher,
  defaultHashingLimit,
  eventLoopBusy,
  hashingLimitFromEnv,
  Overloaded,
} from "../../../src/infrastructure/hashing-limit";

/** A hasher whose calls finish only when the test says so, and which counts how many run at once. */
class GatedHasher implements PasswordHasher {
  running = 0;
  peak = 0;
  readonly started: string[] = [];
  private readonly gates: Array<() => void> = [];

  hash(password: Password): Promise<PasswordHash> {
    return this.gated(`hash:${password.value}`).then(() => `h(${password.value})` as PasswordHash);
  }
  verify(_hash: PasswordHash, plain: string): Promise<boolean> {
    return this.gated(`verify:${plain}`).then(() => plain === "right");
  }
  needsRehash(): boolean {
    return false;
  }
  verifyDummy(plain: string): Promise<void> {
    return this.gated(`dummy:${plain}`);
  }
  /** Lets the oldest running call finish. */
  finishOne(): void {
    this.gates.shift()?.();
  }
  private gated(label: string): Promise<void> {
    this.started.push(label);
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    return new Promise<void>((resolve) =>
      this.gates.push(() => {
        this.running--;
        resolve();
      }),
    );
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const hash = "stored" as PasswordHash;

describe("concurrency-limited password hasher", () => {
  it("runs at most the limit at once, queues a few in arrival order and refuses the rest at once", async () => {
    const inner = new GatedHasher();
    const hasher = new ConcurrencyLimitedPasswordHasher(inner, { maxConcurrent: 2, maxQueue: 2, maxWaitMs: 10_000 });
    const outcomes = new Map<number, string>();
    const calls = Array.from({ length: 7 }, (_, i) =>
      hasher.verify(hash, `p${i}`).then(
        () => outcomes.set(i, "done"),
        (error: unknown) => outcomes.set(i, Overloaded.is(error) ? "overloaded" : `error ${String(error)}`),
      ),
    );
    await tick();
    expect(inner.running).toBe(2);
    expect(hasher.limit.saturated).toBe(true);
    // The three beyond two running and two queued are refused without waiting for anything.
    expect([4, 5, 6].map((i) => outcomes.get(i))).toEqual(["overloaded", "overloaded", "overloaded"]);

    for (let done = 0; done < 4; done++) {
      inner.finishOne();
      await tick();
      expect(inner.running).toBeLessThanOrEqual(2);
    }
    await Promise.all(calls);
    expect(hasher.limit.saturated).toBe(false);
    expect(inner.peak).toBe(2);
    expect(inner.started).toEqual(["verify:p0", "verify:p1", "verify:p2", "verify:p3"]);
    expect([0, 1, 2, 3].map((i) => outcomes.get(i))).toEqual(["done", "done", "done", "done"]);
    expect(hasher.limit.stats).toMatchObject({ running: 0, queued: 0, completed: 4, rejectedFull: 3 });
  });

  it("tells the edge, before any work, that a sign-in would be refused, and stops once a slot frees", async () => {
    const inner = new GatedHasher();
    const hasher = new ConcurrencyLimitedPasswordHasher(inner, { maxConcurrent: 1, maxQueue: 1, maxWaitMs: 60_000 });
    expect(hasher.refusal()).toBeNull();
    const running = hasher.verify(hash, "right");
    expect(hasher.refusal()).toBeNull(); // one more may still queue
    const queued = hasher.verify(hash, "queued");
    await tick();
    const refusal = hasher.refusal();
    expect(refusal).toBeInstanceOf(Overloaded);
    expect(refusal!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Asking refuses nothing and counts nothing: only calls that were made are in the stats.
    expect(hasher.limit.stats).toMatchObject({ running: 1, queued: 1, rejectedFull: 0 });
    inner.finishOne();
    await tick();
    expect(hasher.refusal()).toBeNull();
    inner.finishOne();
    await expect(Promise.all([running, queued])).resolves.toEqual([true, false]);
  });

  it("refuses a call that waited longer than the limit, with a Retry-After of at least a second", async () => {
    const inner = new GatedHasher();
    const hasher = new ConcurrencyLimitedPasswordHasher(inner, { maxConcurrent: 1, maxQueue: 5, maxWaitMs: 30 });
    const first = hasher.verify(hash, "right");
    const waiting = hasher.verify(hash, "second");
    const error = await waiting.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Overloaded);
    expect((error as Overloaded).code).toBe("OVERLOADED");
    expect((error as Overloaded).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // The refused call never reached the hasher, and the running one is unaffected.
    expect(inner.started).toEqual(["verify:right"]);
    inner.finishOne();
    await expect(first).resolves.toBe(true);
    expect(hasher.limit.stats.rejectedTimeout).toBe(1);
  });

  it("counts the unknown-account dummy verify and hashing against the same limit, so a refusal reveals nothing", async () => {
    const inner = new GatedHasher();
    const hasher = new ConcurrencyLimitedPasswordHasher(inner, { maxConcurrent: 1, maxQueue: 0, maxWaitMs: 1000 });
    const known = hasher.verify(hash, "right");
    await expect(hasher.verifyDummy("whatever")).rejects.toBeInstanceOf(Overloaded);
    await expect(hasher.hash({ value: "new-password" } as Password)).rejects.toBeInstanceOf(Overloaded);
    inner.finishOne();
    await known;
    const dummy = hasher.verifyDummy("whatever");
    await expect(hasher.verify(hash, "right")).rejects.toBeInstanceOf(Overloaded);
    inner.finishOne();
    await dummy;
    expect(hasher.needsRehash(hash)).toBe(false);
  });

  it("frees the slot when the hasher fails, so errors cannot leak capacity", async () => {
    const failing: PasswordHasher = {
      hash: () => Promise.reject(new Error("boom")),
      verify: () => Promise.reject(new Error("boom")),
      needsRehash: () => false,
      verifyDummy: () => Promise.reject(new Error("boom")),
    };
    const hasher = new ConcurrencyLimitedPasswordHasher(failing, { maxConcurrent: 1, maxQueue: 0, maxWaitMs: 1000 });
    for (let i = 0; i < 5; i++) await expect(hasher.verify(hash, "x")).rejects.toThrow("boom");
    expect(hasher.limit.stats).toMatchObject({ running: 0, completed: 5, rejectedFull: 0 });
  });

  it("defaults to one hash per core, one per core but one while requests keep the event loop busy, never fewer than one", () => {
    expect(defaultHashingLimit(1)).toEqual({ maxConcurrent: 1, maxConcurrentWhenBusy: 1, maxQueue: 8, maxWaitMs: 1000 });
    expect(defaultHashingLimit(2)).toEqual({ maxConcurrent: 2, maxConcurrentWhenBusy: 1, maxQueue: 16, maxWaitMs: 1000 });
    expect(defaultHashingLimit(8)).toEqual({ maxConcurrent: 8, maxConcurrentWhenBusy: 7, maxQueue: 64, maxWaitMs: 1000 });
    expect(() => new ConcurrencyLimitedPasswordHasher(new GatedHasher(), { maxConcurrent: 0 })).toThrow(RangeError);
    expect(() => new ConcurrencyLimitedPasswordHasher(new GatedHasher(), { maxConcurrent: 2, maxConcurrentWhenBusy: 3 })).toThrow(RangeError);
  });

  it("runs one hash fewer while the process is busy, and takes the spare slot back once it is not", async () => {
    const inner = new GatedHasher();
    let busy = false;
    const hasher = new ConcurrencyLimitedPasswordHasher(inner, { maxConcurrent: 2, maxConcurrentWhenBusy: 1, maxQueue: 2, maxWaitMs: 60_000, busy: () => busy });
    const calls = [hasher.verify(hash, "a"), hasher.verify(hash, "b")];
    await tick();
    expect(inner.running).toBe(2); // idle: both cores

    busy = true;
    inner.finishOne(); // a ends; while busy its slot is given up, not handed on
    calls.push(hasher.verify(hash, "c"));
    await tick();
    expect(inner.running).toBe(1);
    expect(hasher.limit.stats.queued).toBe(1);
    calls.push(hasher.verify(hash, "d"));
    await tick();
    expect(hasher.refusal()).not.toBeNull(); // 1 running (the busy bound) and 2 waiting: the next is refused
    await expect(hasher.verify(hash, "e")).rejects.toBeInstanceOf(Overloaded);

    busy = false;
    calls.push(hasher.verify(hash, "f")); // arrives after c and d: queues behind them, and the free slot goes to c
    await tick();
    expect(inner.started).toEqual(["verify:a", "verify:b", "verify:c"]);
    expect(inner.running).toBe(2);
    for (let i = 0; i < 4; i++) {
      inner.finishOne();
      await tick();
    }
    await Promise.all(calls);
    expect(inner.started).toEqual(["verify:a", "verify:b", "verify:c", "verify:d", "verify:f"]);
    expect(inner.peak).toBe(2);
  });

  it("samples the event loop: busy while it was blocked, idle again once it has room", async () => {
    const busy = eventLoopBusy(0.5, 50);
    // On a loaded machine a sample window can look busy for a moment (the process descheduled, a GC):
    // what matters is that the sampler settles to idle when nothing runs, within a few windows.
    const settlesIdle = async () => {
      for (let waited = 0; waited < 5_000 && busy(); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      return !busy();
    };
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await settlesIdle()).toBe(true);
    const until = performance.now() + 200;
    while (performance.now() < until) {
      // A request hogging the loop.
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(busy()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await settlesIdle()).toBe(true);
  });

  it("takes PASSWORD_HASH_CONCURRENCY and PASSWORD_HASH_QUEUE from the environment, refusing nonsense with the variable's name", () => {
    expect(hashingLimitFromEnv({}, 2)).toEqual(defaultHashingLimit(2));
    expect(hashingLimitFromEnv({ PASSWORD_HASH_CONCURRENCY: "4" }, 2)).toEqual({ maxConcurrent: 4, maxQueue: 8, maxWaitMs: 1000 });
    expect(hashingLimitFromEnv({ PASSWORD_HASH_QUEUE: "6" }, 2)).toEqual({ ...defaultHashingLimit(2), maxQueue: 6 });
    expect(hashingLimitFromEnv({ PASSWORD_HASH_CONCURRENCY: "2", PASSWORD_HASH_QUEUE: "0" }, 2)).toMatchObject({ maxConcurrent: 2, maxQueue: 0 });
    expect(() => hashingLimitFromEnv({ PASSWORD_HASH_CONCURRENCY: "0" }, 2)).toThrow(/PASSWORD_HASH_CONCURRENCY/);
    expect(() => hashingLimitFromEnv({ PASSWORD_HASH_QUEUE: "lots" }, 2)).toThrow(/PASSWORD_HASH_QUEUE/);
  });

  describe("with real argon2id under a flood of sign-ins", () => {
    const argon2 = new Argon2PasswordHasher();
    let stored: PasswordHash;
    beforeAll(async () => {
      stored = await argon2.hash({ value: "correct horse battery" } as Password);
    });

    /** How long a small job on libuv's thread pool (where argon2 also runs) waits while `flood` is going on. */
    async function threadPoolLatencyDuring(flood: () => Promise<unknown>[]): Promise<{ probeMs: number; settled: PromiseSettledResult<unknown>[] }> {
      const calls = flood();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const start = performance.now();
      await new Promise((resolve, reject) => pbkdf2("x", "salt", 1, 32, "sha256", (error) => (error ? reject(error) : resolve(null))));
      const probeMs = performance.now() - start;
      return { probeMs, settled: await Promise.allSettled(calls) };
    }

    it("keeps the thread pool available to other requests and refuses the excess quickly", async () => {
      const unbounded = await threadPoolLatencyDuring(() => Array.from({ length: 48 }, () => argon2.verify(stored, "wrong password")));
      const limited = new ConcurrencyLimitedPasswordHasher(argon2, { maxConcurrent: 1, maxQueue: 2, maxWaitMs: 1000 });
      const bounded = await threadPoolLatencyDuring(() => Array.from({ length: 48 }, () => limited.verify(stored, "wrong password")));

      const refused = bounded.settled.filter((s) => s.status === "rejected" && Overloaded.is(s.reason)).length;
      console.log(
        `thread-pool job during 48 concurrent argon2 verifies: unbounded ${unbounded.probeMs.toFixed(1)} ms, ` +
          `limited ${bounded.probeMs.toFixed(1)} ms; ${refused}/48 refused as Overloaded`,
      );
      expect(unbounded.settled.every((s) => s.status === "fulfilled")).toBe(true);
      expect(refused).toBe(45);
      expect(limited.limit.stats.peakRunning).toBe(1);
      // With one argon2 at a time three pool threads stay free: the job does not queue behind the flood.
      expect(bounded.probeMs).toBeLessThan(unbounded.probeMs);
      expect(bounded.probeMs).toBeLessThan(100);
    });

    it("still answers correctly for the calls it admits", async () => {
      const limited = new ConcurrencyLimitedPasswordHasher(argon2, { maxConcurrent: 1, maxQueue: 2, maxWaitMs: 2000 });
      await expect(limited.verify(stored, "correct horse battery")).resolves.toBe(true);
      await expect(limited.verify(stored, "wrong")).resolves.toBe(false);
    });
  });
});
