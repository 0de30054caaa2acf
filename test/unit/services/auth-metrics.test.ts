import { createInMemoryAuth, TEST_CONTEXT, TEST_PASSWORD } from "../../../src/infrastructure/testing/in-memory-auth";
import { codeFor, passwordStep, secondStep, withTotp } from "../mfa/support";

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

  it("counts re-authentication refusals on the sign-in limits it shares", async () => {
    const auth = createInMemoryAuth({ settings: { rateLimits: { signInFailuresPerAccount: { freeFailures: 1, lockAfter: 3 } } } });
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const reauthenticate = (password: string) =>
      auth.useCases.reauthenticate.execute({ userId: ann.user.id, sessionId: ann.session.id, password, context: TEST_CONTEXT });
    await reauthenticate("wrong guess"); // failure 1 (free)
    await reauthenticate("wrong guess"); // failure 2, then a wait
    const waiting = await reauthenticate(ann.password);
    expect(!waiting.ok && waiting.error.code).toBe("RATE_LIMITED");
    expect(auth.metrics.count("throttled", "sign-in:account")).toBe(1);
    auth.clock.advance({ minutes: 20 });
    await reauthenticate("wrong guess"); // failure 3: the lock
    const locked = await reauthenticate(ann.password);
    expect(!locked.ok && locked.error.code).toBe("ACCOUNT_LOCKED");
    expect(auth.metrics.count("locked", "sign-in:account")).toBe(1);
  });

  it("counts second-factor refusals by their own limits: the wait, the lock and the per-IP window", async () => {
    const { auth, secret } = await withTotp({
      rateLimits: { mfaFailuresPerUser: { freeFailures: 1, baseDelaySeconds: 2, maxDelaySeconds: 60, lockAfter: 3, windowSeconds: 3600 } },
    });
    const challenge = await passwordStep(auth);
    await secondStep(auth, challenge, { code: "000000" });
    await secondStep(auth, challenge, { code: "000000" });
    const waiting = await secondStep(auth, challenge, { code: await codeFor(auth, secret) });
    expect(!waiting.ok && waiting.error.code).toBe("RATE_LIMITED");
    expect(auth.metrics.count("throttled", "mfa:user")).toBe(1);
    auth.clock.advance({ seconds: 30 });
    await secondStep(auth, challenge, { code: "000000" }); // failure 3: the lock
    const locked = await secondStep(auth, await passwordStep(auth), { code: await codeFor(auth, secret) });
    expect(!locked.ok && locked.error.code).toBe("ACCOUNT_LOCKED");
    expect(auth.metrics.count("locked", "mfa:user")).toBe(1);

    const perIp = await withTotp({ rateLimits: { mfaPerIp: { limit: 1, windowSeconds: 900 } } });
    const again = await passwordStep(perIp.auth);
    await secondStep(perIp.auth, again, { code: "000000" });
    const refused = await secondStep(perIp.auth, again, { code: await codeFor(perIp.auth, perIp.secret) });
    expect(!refused.ok && refused.error.code).toBe("RATE_LIMITED");
    expect(perIp.auth.metrics.count("throttled", "mfa:ip")).toBe(1);
  });

  it("counts refused invitations by the inviter's limit", async () => {
    const auth = createInMemoryAuth({ settings: { rateLimits: { invitationsPerUser: { limit: 1, windowSeconds: 3600 } } } });
    const ann = await auth.registerUser();
    const team = await auth.useCases.createTeam.execute({ userId: ann.user.id, name: "T" });
    const teamId = team.ok ? team.value.team.id : "";
    const invite = (n: number) => auth.useCases.inviteMember.execute({ userId: ann.user.id, teamId, email: `p${n}@example.com`, role: "member" });
    expect((await invite(1)).ok).toBe(true);
    const second = await invite(2);
    expect(!second.ok && second.error.code).toBe("RATE_LIMITED");
    expect(auth.metrics.count("throttled", "invitations:user")).toBe(1);
  });

  it("counts refused user-code look-ups by IP, by approving user and by code", async () => {
    for (const [limit, label] of [
      ["perIp", "device:ip"],
      ["perUser", "device:user"],
      ["perCode", "device:code"],
    ] as const) {
      const auth = createInMemoryAuth({ settings: { device: { [limit]: { limit: 1, windowSeconds: 600 } } } });
      const ann = await auth.registerUser();
      const started = await auth.useCases.startDeviceAuthorization.execute({ clientId: "cli" });
      if (!started.ok) throw new Error(started.error.code);
      const describe = () =>
        auth.useCases.describeDeviceAuthorization.execute({ userId: ann.user.id, userCode: started.value.userCode, context: TEST_CONTEXT });
      expect((await describe()).ok).toBe(true);
      const refused = await describe();
      expect(!refused.ok && refused.error.code).toBe("RATE_LIMITED");
      expect(auth.metrics.count("throttled", label)).toBe(1);
    }
  });

  it("counts a refused e-mail change by the mail limits", async () => {
    const auth = createInMemoryAuth({ settings: { rateLimits: { emailPerAccount: { limit: 2, windowSeconds: 3600 } } } });
    const ann = await auth.registerUser({ email: "ann@example.com" }); // the verification mail: one of the two
    const request = (newEmail: string) =>
      auth.useCases.requestEmailChange.execute({ userId: ann.user.id, sessionId: ann.session.id, newEmail, context: TEST_CONTEXT });
    expect((await request("ann.new@example.com")).ok).toBe(true);
    const refused = await request("ann.other@example.com");
    expect(!refused.ok && refused.error.code).toBe("RATE_LIMITED");
    expect(auth.metrics.count("throttled", "email:account")).toBe(1);
  });
});
