import { DEFAULT_RATE_LIMITS } from "../../../src/application/shared/auth-settings";
import { NO_METRICS } from "../../../src/application/shared/ports/metrics.port";
import { rateLimitKeys } from "../../../src/application/shared/services/rate-limiter";
import { SignInThrottle } from "../../../src/application/shared/services/sign-in-throttle";
import { InMemoryRateLimitStore } from "../../../src/infrastructure/persistence/in-memory";

describe("SignInThrottle", () => {
  it("lets the default free failures through, then doubles the wait up to the cap", () => {
    const throttle = new SignInThrottle(new InMemoryRateLimitStore(), DEFAULT_RATE_LIMITS, NO_METRICS);
    const waits = [0, 1, 5, 6, 7, 8, 14, 40].map((failures) => throttle.delayAfter(failures));
    expect(waits).toEqual([0, 0, 0, 2, 4, 8, 512, 900]);
  });

  it("locks well under 100 consecutive failures by default", () => {
    expect(DEFAULT_RATE_LIMITS.signInFailuresPerAccount.lockAfter).toBeLessThan(100);
  });

  it("keys accounts by canonical e-mail and IPs by address, in separate buckets", async () => {
    const store = new InMemoryRateLimitStore();
    const throttle = new SignInThrottle(store, DEFAULT_RATE_LIMITS, NO_METRICS);
    const now = new Date("2030-01-01T00:00:00Z");
    await throttle.check("ann@example.com", "203.0.113.7", now);
    await throttle.recordFailure("ann@example.com", now);
    expect((await store.peek(rateLimitKeys.signInIp("203.0.113.7"), now))?.count).toBe(1);
    expect((await store.peek(rateLimitKeys.signInAccount("ann@example.com"), now))?.count).toBe(1);
    await throttle.clear("ann@example.com");
    expect(await store.peek(rateLimitKeys.signInAccount("ann@example.com"), now)).toBeNull();
  });

  it("records and refuses nothing while limits are off", async () => {
    const store = new InMemoryRateLimitStore();
    const throttle = new SignInThrottle(store, { ...DEFAULT_RATE_LIMITS, enabled: false }, NO_METRICS);
    const now = new Date("2030-01-01T00:00:00Z");
    for (let i = 0; i < 100; i++) await throttle.recordFailure("ann@example.com", now);
    expect((await throttle.check("ann@example.com", "203.0.113.7", now)).ok).toBe(true);
    expect(await store.peek(rateLimitKeys.signInAccount("ann@example.com"), now)).toBeNull();
  });

  it("writes nothing on a success when the account had no failure on record, and clears one that had", async () => {
    const store = new InMemoryRateLimitStore();
    const resets: string[] = [];
    const reset = store.reset.bind(store);
    store.reset = (key) => (resets.push(key), reset(key));
    const throttle = new SignInThrottle(store, DEFAULT_RATE_LIMITS, NO_METRICS);
    const now = new Date("2030-01-01T00:00:00Z");

    const clean = await throttle.check("ann@example.com", "203.0.113.7", now);
    expect(clean).toEqual({ ok: true, value: { failuresOnRecord: false } });
    if (clean.ok) await throttle.clearAfterSuccess("ann@example.com", clean.value);
    expect(resets).toEqual([]);

    await throttle.recordFailure("ann@example.com", now);
    const afterFailure = await throttle.check("ann@example.com", "203.0.113.7", now);
    expect(afterFailure).toEqual({ ok: true, value: { failuresOnRecord: true } });
    if (afterFailure.ok) await throttle.clearAfterSuccess("ann@example.com", afterFailure.value);
    expect(resets).toEqual([rateLimitKeys.signInAccount("ann@example.com")]);
    expect(await store.peek(rateLimitKeys.signInAccount("ann@example.com"), now)).toBeNull();
  });
});
