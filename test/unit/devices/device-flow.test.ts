import { createInMemoryAuth, type AuthSettingsOverrides } from "../../../src/infrastructure/testing/in-memory-auth";

async function setUp(settings?: AuthSettingsOverrides) {
  const auth = createInMemoryAuth({ settings });
  const ann = await auth.registerUser({ email: "ann@example.com" });
  const started = await auth.useCases.startDeviceAuthorization.execute({ clientId: "cli", context: { ip: "198.51.100.9", userAgent: "cli" } });
  if (!started.ok) throw new Error(started.error.code);
  const poll = () => auth.useCases.exchangeDeviceCode.execute({ clientId: "cli", deviceCode: started.value.deviceCode });
  const decide = (decision: "approve" | "deny", options: { userCode?: string; userId?: string; sessionId?: string } = {}) =>
    auth.useCases.decideDeviceAuthorization.execute({
      userId: options.userId ?? ann.user.id,
      sessionId: options.sessionId ?? ann.session.id,
      userCode: options.userCode ?? started.value.userCode,
      decision,
      context: auth.context,
    });
  return { auth, ann, started: started.value, poll, decide };
}

const codeOf = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? "OK" : result.error!.code);

describe("StartDeviceAuthorization", () => {
  it("hands out a 256-bit device code kept only hashed, a user code, the lifetime and the interval", async () => {
    const { auth, started } = await setUp();
    expect(started.deviceCode).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(started).toMatchObject({ expiresIn: 600, interval: 5 });
    const [row] = [...auth.db.tables.deviceAuthorizations.values()];
    expect(row).toMatchObject({ deviceCodeHash: auth.randomTokens.hash(started.deviceCode), status: "pending", requestIp: "198.51.100.9" });
    expect(JSON.stringify([...auth.db.tables.deviceAuthorizations.values(), ...auth.db.tables.events.values()])).not.toContain(started.deviceCode);
  });

  it("refuses a client that is not configured", async () => {
    const { auth } = await setUp();
    expect(codeOf(await auth.useCases.startDeviceAuthorization.execute({ clientId: "evil" }))).toBe("INVALID_CLIENT");
  });

  it("limits the codes issued to one client IP, each address on its own, and counts the refusals", async () => {
    const auth = createInMemoryAuth({ settings: { device: { issuePerIp: { limit: 3, windowSeconds: 900 } } } });
    const start = (ip: string) => auth.useCases.startDeviceAuthorization.execute({ clientId: "cli", context: { ip, userAgent: "cli" } });
    for (let i = 0; i < 3; i++) expect(codeOf(await start("198.51.100.9"))).toBe("OK");
    const refused = await start("198.51.100.9");
    expect(codeOf(refused)).toBe("RATE_LIMITED");
    expect(!refused.ok && refused.error.code === "RATE_LIMITED" && refused.error.retryAfterSeconds).toBeGreaterThan(0);
    // Refused before anything is stored.
    expect(auth.db.tables.deviceAuthorizations.size).toBe(3);
    expect(codeOf(await start("203.0.113.7"))).toBe("OK");
    expect(auth.metrics.count("throttled", "device-code:ip")).toBe(1);
    auth.clock.advance({ minutes: 16 });
    expect(codeOf(await start("198.51.100.9"))).toBe("OK");
  });

  it("follows DEVICE_CODE_TTL and DEVICE_CLIENTS", async () => {
    const auth = createInMemoryAuth({ settings: { device: { codeTtlSeconds: 120, clients: [{ id: "tv", name: "Living-room TV" }] } } });
    const started = await auth.useCases.startDeviceAuthorization.execute({ clientId: "tv" });
    expect(started.ok && started.value.expiresIn).toBe(120);
    expect(codeOf(await auth.useCases.startDeviceAuthorization.execute({ clientId: "cli" }))).toBe("INVALID_CLIENT");
  });
});

describe("ExchangeDeviceCode (RFC 8628 §3.4–3.5)", () => {
  it("answers authorization_pending until approved, then one token, then invalid_grant", async () => {
    const { auth, poll, decide } = await setUp();
    expect(codeOf(await poll())).toBe("AUTHORIZATION_PENDING");
    expect(codeOf(await decide("approve"))).toBe("OK");
    auth.clock.advance({ seconds: 5 });
    const token = await poll();
    expect(token.ok && token.value.expiresIn).toBe(auth.settings.device.tokenTtlSeconds);
    auth.clock.advance({ seconds: 5 });
    expect(codeOf(await poll())).toBe("INVALID_GRANT");
    expect(auth.db.tables.deviceTokens.size).toBe(1);
  });

  it("answers slow_down to a poll within the interval, adds 5 s for every later poll, and does not count the refused poll", async () => {
    const { auth, poll } = await setUp();
    expect(codeOf(await poll())).toBe("AUTHORIZATION_PENDING");
    auth.clock.advance({ seconds: 2 });
    const slow = await poll();
    expect(!slow.ok && slow.error).toMatchObject({ code: "SLOW_DOWN", intervalSeconds: 10 });
    // 8 s after the last answered poll: under the new 10 s interval, so slower again (15 s).
    auth.clock.advance({ seconds: 6 });
    expect(codeOf(await poll())).toBe("SLOW_DOWN");
    // Refused polls are not recorded: 23 s after the last answered poll clears the 15 s interval.
    auth.clock.advance({ seconds: 15 });
    expect(codeOf(await poll())).toBe("AUTHORIZATION_PENDING");
    auth.clock.advance({ seconds: 15 });
    expect(codeOf(await poll())).toBe("AUTHORIZATION_PENDING");
  });

  it("answers access_denied for a denied code, and the code stays dead", async () => {
    const { auth, poll, decide } = await setUp();
    expect(codeOf(await decide("deny"))).toBe("OK");
    expect(codeOf(await poll())).toBe("ACCESS_DENIED");
    auth.clock.advance({ seconds: 10 });
    expect(codeOf(await poll())).toBe("ACCESS_DENIED");
    expect(codeOf(await decide("approve"))).toBe("INVALID_USER_CODE");
    expect(auth.db.tables.deviceTokens.size).toBe(0);
  });

  it("answers expired_token once the code has lived DEVICE_CODE_TTL, also when it was approved", async () => {
    const { auth, poll, decide } = await setUp();
    await decide("approve");
    auth.clock.advance({ seconds: 600 });
    expect(codeOf(await poll())).toBe("EXPIRED_TOKEN");
    expect(auth.db.tables.deviceTokens.size).toBe(0);
  });

  it("answers invalid_grant for an unknown device code or one issued to another client, and invalid_client for an unknown client", async () => {
    const { auth, started } = await setUp({ device: { clients: [{ id: "cli", name: "CLI" }, { id: "tv", name: "TV" }] } });
    expect(codeOf(await auth.useCases.exchangeDeviceCode.execute({ clientId: "cli", deviceCode: "x".repeat(43) }))).toBe("INVALID_GRANT");
    expect(codeOf(await auth.useCases.exchangeDeviceCode.execute({ clientId: "tv", deviceCode: started.deviceCode }))).toBe("INVALID_GRANT");
    expect(codeOf(await auth.useCases.exchangeDeviceCode.execute({ clientId: "evil", deviceCode: started.deviceCode }))).toBe("INVALID_CLIENT");
    expect(codeOf(await auth.useCases.exchangeDeviceCode.execute({ clientId: "cli", deviceCode: "" }))).toBe("INVALID_GRANT");
  });

  it("yields exactly one token to concurrent polls of an approved code", async () => {
    const { auth, decide, poll } = await setUp();
    await decide("approve");
    const results = await Promise.all(Array.from({ length: 8 }, () => poll()));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(auth.db.tables.deviceTokens.size).toBe(1);
  });
});

describe("DecideDeviceAuthorization", () => {
  it("matches the user code case-insensitively, ignoring dashes and spaces", async () => {
    const { started, decide } = await setUp();
    const typed = ` ${started.userCode.toLowerCase().replace("-", " ")} `;
    expect(codeOf(await decide("approve", { userCode: typed }))).toBe("OK");
  });

  it("approves only from a freshly authenticated session; a stale one steps up first", async () => {
    const { auth, ann, decide, poll } = await setUp({ freshAuthMaxAgeSeconds: 60 });
    auth.clock.advance({ seconds: 60 });
    expect(codeOf(await decide("approve"))).toBe("REAUTHENTICATION_REQUIRED");
    expect(codeOf(await poll())).toBe("AUTHORIZATION_PENDING");
    expect([...auth.db.tables.deviceAuthorizations.values()][0]!.status).toBe("pending");

    const stepped = await auth.useCases.reauthenticate.execute({ userId: ann.user.id, sessionId: ann.session.id, password: ann.password });
    if (!stepped.ok) throw new Error(stepped.error.code);
    expect(codeOf(await decide("approve", { sessionId: stepped.value.session.id }))).toBe("OK");
    auth.clock.advance({ seconds: 5 });
    expect(codeOf(await poll())).toBe("OK");
  });

  it("lets a stale session deny: refusing a device hands nothing out", async () => {
    const { auth, decide, poll } = await setUp({ freshAuthMaxAgeSeconds: 60 });
    auth.clock.advance({ seconds: 120 });
    expect(codeOf(await decide("deny"))).toBe("OK");
    expect(codeOf(await poll())).toBe("ACCESS_DENIED");
  });

  it("needs a verified address, read from storage", async () => {
    const { auth, decide } = await setUp();
    const bob = await auth.registerUser({ email: "bob@example.com", verified: false });
    expect(codeOf(await decide("approve", { userId: bob.user.id, sessionId: bob.session.id }))).toBe("EMAIL_NOT_VERIFIED");
  });

  it("lets exactly one of two concurrent decisions land", async () => {
    const { decide } = await setUp();
    const results = await Promise.all([decide("approve"), decide("deny"), decide("approve")]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("refuses an expired or unknown code", async () => {
    const { auth, decide } = await setUp();
    expect(codeOf(await decide("approve", { userCode: "BBBB-BBBB" }))).toBe("INVALID_USER_CODE");
    expect(codeOf(await decide("approve", { userCode: "not a code" }))).toBe("INVALID_USER_CODE");
    auth.clock.advance({ seconds: 600 });
    expect(codeOf(await decide("approve"))).toBe("INVALID_USER_CODE");
  });

  it("limits look-ups per code, per approving user and per client IP", async () => {
    const perCode = await setUp({ device: { perCode: { limit: 3, windowSeconds: 600 } } });
    for (let i = 0; i < 3; i++) expect(codeOf(await perCode.decide("approve", { sessionId: "ended-session" }))).toBe("REAUTHENTICATION_REQUIRED");
    expect(codeOf(await perCode.decide("approve"))).toBe("RATE_LIMITED");

    const perUser = await setUp({ device: { perUser: { limit: 3, windowSeconds: 900 } } });
    for (let i = 0; i < 3; i++) expect(codeOf(await perUser.decide("approve", { userCode: `BBBB-BBB${"CDF"[i]}` }))).toBe("INVALID_USER_CODE");
    expect(codeOf(await perUser.decide("approve"))).toBe("RATE_LIMITED");

    const perIp = await setUp({ device: { perIp: { limit: 3, windowSeconds: 900 } } });
    const bob = await perIp.auth.registerUser({ email: "bob@example.com" });
    for (let i = 0; i < 3; i++) expect(codeOf(await perIp.decide("approve", { userCode: `BBBB-BBB${"CDF"[i]}` }))).toBe("INVALID_USER_CODE");
    expect(codeOf(await perIp.decide("approve", { userId: bob.user.id, sessionId: bob.session.id }))).toBe("RATE_LIMITED");
  });
});

describe("DescribeDeviceAuthorization", () => {
  it("shows the configured client name, the requesting IP and time and the code to compare", async () => {
    const { auth, ann, started } = await setUp();
    const view = await auth.useCases.describeDeviceAuthorization.execute({ userId: ann.user.id, userCode: started.userCode.toLowerCase() });
    expect(view.ok && view.value).toEqual({
      userCode: started.userCode,
      clientName: "nextauth-hex command line",
      requestIp: "198.51.100.9",
      requestedAt: auth.clock.now(),
      expiresAt: new Date(auth.clock.now().getTime() + 600_000),
    });
  });
});

describe("device credentials", () => {
  it("are listed for their owner only, and revoked by the owner or by whoever holds the token", async () => {
    const { auth, ann, decide, poll } = await setUp();
    await decide("approve");
    auth.clock.advance({ seconds: 5 });
    const token = await poll();
    if (!token.ok) throw new Error(token.error.code);
    const bob = await auth.registerUser({ email: "bob@example.com" });

    const listed = await auth.useCases.listDeviceTokens.execute({ userId: ann.user.id });
    expect(listed.ok && listed.value.map((t) => ({ clientName: t.clientName, ip: t.ip }))).toEqual([{ clientName: "nextauth-hex command line", ip: "198.51.100.9" }]);
    expect(await auth.useCases.listDeviceTokens.execute({ userId: bob.user.id })).toEqual({ ok: true, value: [] });
    const id = listed.ok ? listed.value[0]!.id : "";
    expect(codeOf(await auth.useCases.revokeDeviceToken.execute({ userId: bob.user.id, deviceTokenId: id }))).toBe("NOT_FOUND");

    expect(codeOf(await auth.useCases.revokeDeviceToken.execute({ token: "nah_dt_0123456789abcdef_" + "x".repeat(43) }))).toBe("OK");
    expect(codeOf(await auth.useCases.revokeDeviceToken.execute({ token: token.value.accessToken }))).toBe("OK");
    expect((await auth.useCases.authenticateRequest.execute({ bearer: token.value.accessToken })).ok).toBe(false);
    expect(codeOf(await auth.useCases.revokeDeviceToken.execute({ userId: ann.user.id, deviceTokenId: id }))).toBe("NOT_FOUND");
    expect((await auth.stores.events.listForUser(ann.user.id, 10)).map((e) => e.type)).toEqual(
      expect.arrayContaining(["device.approved", "device.token-issued", "device.revoked"]),
    );
  });
});
