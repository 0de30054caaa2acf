import { createInMemoryAuth, TEST_CONTEXT, TEST_PASSWORD } from "../../../src/infrastructure/testing/in-memory-auth";

/** What the use cases report through the AuthMetrics port (the kit counts it in memory). */
describe("AuthMetrics, as the use cases report it", () => {
  it("counts sign-ins and sign-ups by outcome", async () => {
    const auth = createInMemoryAuth();
    await auth.registerUser({ email: "ann@example.com" });
    await auth.useCases.signUp.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT });
    await auth.useCases.signIn.execute({ email: "ann@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT });
    await auth.useCases.signIn.execute({ email: "ann@example.com", password: "not the password", context: TEST_CONTEXT });
    await auth.useCases.signIn.execute({ email: "nobody@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT });
    expect(auth.metrics.count("attempt:sign-up", "success")).toBe(1);
    expect(auth.metrics.count("attempt:sign-up", "EMAIL_TAKEN")).toBe(1);
    expect(auth.metrics.count("attempt:sign-in", "success")).toBe(1);
    expect(auth.metrics.count("attempt:sign-in", "INVALID_CREDENTIALS")).toBe(2);
  });

  it("counts throttles and locks by limit, never by whom", async () => {
    const auth = createInMemoryAuth({ settings: { rateLimits: { signInFailuresPerAccount: { freeFailures: 1, lockAfter: 3 }, signUpPerIp: { limit: 1, windowSeconds: 3600 } } } });
    const attempt = () => auth.useCases.signIn.execute({ email: "bob@example.com", password: "wrong guess", context: TEST_CONTEXT });
    await attempt(); // failure 1 (free)
    await attempt(); // failure 2, then a wait
    expect((await attempt()).ok).toBe(false); // refused during the wait
    expect(auth.metrics.count("throttled", "sign-in:account")).toBe(1);
    auth.clock.advance({ minutes: 20 });
    await attempt(); // failure 3: the lock
    expect((await attempt()).ok).toBe(false);
    expect(auth.metrics.count("locked", "sign-in:account")).toBeGreaterThanOrEqual(1);

    await auth.useCases.signUp.execute({ email: "c1@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT });
    await auth.useCases.signUp.execute({ email: "c2@example.com", password: TEST_PASSWORD, context: TEST_CONTEXT });
    expect(auth.metrics.count("throttled", "sign-up:ip")).toBe(1);
  });
});
