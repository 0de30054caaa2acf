import { ApiKey } from "../../../src/domain/api-key/api-key";
import { Session } from "../../../src/domain/session/session";
import { SessionPolicy } from "../../../src/domain/session/session-policy";
import { VerificationToken } from "../../../src/domain/identity/verification-token";
import { Email } from "../../../src/domain/identity/email";
import type { PasswordHash } from "../../../src/domain/identity/password";
import { User } from "../../../src/domain/identity/user";
import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import { createInMemoryStores } from "../../../src/infrastructure/persistence/in-memory";

const policy = new SessionPolicy();

function setup() {
  const clock = new ControllableClock();
  const kit = createInMemoryStores({ clock });
  const user = (id: string) => User.create({ id, email: Email.restore(`${id}@example.com`), passwordHash: "h" as PasswordHash }, clock.now());
  const session = (id: string, userId = "u1") => Session.create({ id, userId, userAgent: null, ip: null }, policy, clock.now());
  const token = (id: string, hash = `hash-${id}`) =>
    VerificationToken.create({ id, userId: "u1", purpose: "verify-email", tokenHash: hash, email: "u1@example.com", ttlSeconds: 60 }, clock.now());
  const apiKey = (id: string, userId = "u1") => ApiKey.create({ id, userId, name: id, prefix: `prefix-${id}`, secretHash: `s-${id}` }, clock.now());
  return { clock, ...kit, user, session, token, apiKey };
}

describe("in-memory stores", () => {
  it("hand out copies: changing a loaded entity changes nothing until it is saved", async () => {
    const { stores, user } = setup();
    await stores.users.insert(user("u1"));
    const loaded = (await stores.users.findById("u1"))!;
    loaded.markEmailVerified(new Date());
    expect((await stores.users.findById("u1"))?.emailVerified).toBe(false);
    await stores.users.save(loaded);
    expect((await stores.users.findById("u1"))?.emailVerified).toBe(true);
  });

  it("enforce unique ids and foreign keys like the database", async () => {
    const { stores, user, session, token, apiKey } = setup();
    await expect(stores.sessions.insert(session("s1"))).rejects.toThrow(/foreign key/);
    await expect(stores.tokens.insert(token("t1"))).rejects.toThrow(/foreign key/);
    await expect(stores.apiKeys.insert(apiKey("k1"))).rejects.toThrow(/foreign key/);
    await stores.users.insert(user("u1"));
    await expect(stores.users.insert(user("u1"))).rejects.toThrow(/duplicate/);
    await stores.sessions.insert(session("s1"));
    await expect(stores.sessions.insert(session("s1"))).rejects.toThrow(/duplicate/);
    await stores.tokens.insert(token("t1"));
    await expect(stores.tokens.insert(token("t1", "other"))).rejects.toThrow(/duplicate/);
    await expect(stores.tokens.insert(token("t2", "hash-t1"))).rejects.toThrow(/unique/);
    await stores.apiKeys.insert(apiKey("k1"));
    await expect(stores.apiKeys.insert(apiKey("k1"))).rejects.toThrow(/duplicate/);
    await expect(
      stores.apiKeys.insert(ApiKey.create({ id: "k2", userId: "u1", name: "n", prefix: "prefix-k1", secretHash: "x" }, new Date())),
    ).rejects.toThrow(/unique/);
    await stores.events.record({ id: "e1", type: "sign-up", userId: "u1", at: new Date(), ip: null, userAgent: null, detail: {} });
    await expect(
      stores.events.record({ id: "e1", type: "sign-up", userId: "u1", at: new Date(), ip: null, userAgent: null, detail: {} }),
    ).rejects.toThrow(/duplicate/);
  });

  it("ignore saving a user that does not exist and refuse a save that breaks e-mail uniqueness", async () => {
    const { stores, user } = setup();
    await stores.users.save(user("ghost"));
    expect(await stores.users.findById("ghost")).toBeNull();
    await stores.users.insert(user("u1"));
    await stores.users.insert(user("u2"));
    const clash = User.restore({ ...(await stores.users.findById("u2"))!.toSnapshot(), email: "u1@example.com" });
    await expect(stores.users.save(clash)).rejects.toThrow(/unique/);
    await stores.users.delete("nobody");
    expect(await stores.users.findByEmail(Email.restore("nobody@example.com"))).toBeNull();
  });

  it("rotate by compare-and-set and never rotate a revoked or unknown session", async () => {
    const { stores, clock, user, session } = setup();
    await stores.users.insert(user("u1"));
    const s1 = session("s1");
    await stores.sessions.insert(s1);
    const first = s1.rotate("s2", clock.now());
    expect(await stores.sessions.rotate(s1, first)).toBe(true);
    const again = Session.restore({ ...s1.toSnapshot(), rotatedAt: null, replacedBy: null });
    expect(await stores.sessions.rotate(again, again.rotate("s3", clock.now()))).toBe(false);
    const s4 = session("s4");
    await stores.sessions.insert(s4);
    await stores.sessions.revoke("s4", clock.now());
    expect(await stores.sessions.rotate(s4, s4.rotate("s5", clock.now()))).toBe(false);
    const ghost = session("ghost");
    expect(await stores.sessions.rotate(ghost, ghost.rotate("s6", clock.now()))).toBe(false);
    expect(await stores.sessions.findById("s3")).toBeNull();
  });

  it("touch only forward and only existing sessions", async () => {
    const { stores, clock, user, session } = setup();
    await stores.users.insert(user("u1"));
    await stores.sessions.insert(session("s1"));
    const later = clock.advance({ minutes: 5 });
    await stores.sessions.touch("s1", later);
    await stores.sessions.touch("s1", new Date(later.getTime() - 60_000));
    await stores.sessions.touch("ghost", later);
    expect((await stores.sessions.findById("s1"))?.lastSeenAt).toEqual(later);
  });

  it("revoke all of a user's sessions except one, and list the live ones", async () => {
    const { stores, clock, user, session } = setup();
    await stores.users.insert(user("u1"));
    await stores.users.insert(user("u2"));
    await stores.sessions.insert(session("a"));
    clock.advance(1);
    await stores.sessions.insert(session("b"));
    await stores.sessions.insert(session("other", "u2"));
    expect(await stores.sessions.revokeAllForUser("u1", clock.now(), "b")).toBe(1);
    expect((await stores.sessions.listUnrevokedForUser("u1", clock.now())).map((s) => s.id)).toEqual(["b"]);
    expect(await stores.sessions.revokeAllForUser("u1", clock.now())).toBe(1);
    expect(await stores.sessions.listUnrevokedForUser("u2", new Date(clock.now().getTime() + 31 * 86400_000))).toEqual([]);
  });

  it("consume a token once and never when voided or expired", async () => {
    const { stores, clock, user, token } = setup();
    await stores.users.insert(user("u1"));
    await stores.tokens.insert(token("t1"));
    await stores.tokens.insert(token("t2"));
    await stores.tokens.insert(token("t3"));
    expect(await Promise.all([stores.tokens.consume("t1", clock.now()), stores.tokens.consume("t1", clock.now())])).toEqual([true, false]);
    await stores.tokens.invalidateAllForUser("u1", "verify-email", clock.now());
    expect(await stores.tokens.consume("t2", clock.now())).toBe(false);
    expect((await stores.tokens.findByHash("hash-t1"))?.invalidatedAt).toBeNull();
    expect(await stores.tokens.consume("ghost", clock.now())).toBe(false);
    const fresh = token("t4");
    await stores.tokens.insert(fresh);
    expect(await stores.tokens.consume("t4", clock.advance({ seconds: 60 }))).toBe(false);
    await stores.tokens.invalidateAllForUser("u1", "reset-password", clock.now());
    expect((await stores.tokens.findByHash("hash-t4"))?.invalidatedAt).toBeNull();
    expect(await stores.tokens.findByHash("nope")).toBeNull();
  });

  it("revoke an API key only for its owner", async () => {
    const { stores, clock, user, apiKey } = setup();
    await stores.users.insert(user("u1"));
    await stores.users.insert(user("u2"));
    await stores.apiKeys.insert(apiKey("k1"));
    expect(await stores.apiKeys.revoke("k1", "u2", clock.now())).toBe(false);
    expect(await stores.apiKeys.revoke("ghost", "u1", clock.now())).toBe(false);
    expect(await stores.apiKeys.revoke("k1", "u1", clock.now())).toBe(true);
    expect(await stores.apiKeys.revoke("k1", "u1", clock.now())).toBe(false);
    expect(await stores.apiKeys.findByPrefix("unknown")).toBeNull();
  });

  it("delete a user with everything of theirs", async () => {
    const { stores, user, session, token, apiKey, db } = setup();
    await stores.users.insert(user("u1"));
    await stores.users.insert(user("u2"));
    await stores.sessions.insert(session("s1"));
    await stores.sessions.insert(session("s2", "u2"));
    await stores.tokens.insert(token("t1"));
    await stores.apiKeys.insert(apiKey("k1"));
    await stores.apiKeys.insert(apiKey("k2", "u2"));
    await stores.events.record({ id: "e1", type: "sign-up", userId: "u1", at: new Date(), ip: null, userAgent: null, detail: {} });
    await stores.events.record({ id: "e2", type: "sign-up", userId: "u2", at: new Date(), ip: null, userAgent: null, detail: {} });
    await stores.users.delete("u1");
    expect([...db.tables.users.keys()]).toEqual(["u2"]);
    expect([...db.tables.sessions.keys()]).toEqual(["s2"]);
    expect([...db.tables.tokens.keys()]).toEqual([]);
    expect([...db.tables.apiKeys.keys()]).toEqual(["k2"]);
    expect([...db.tables.events.keys()]).toEqual(["e2"]);
  });
});

describe("InMemoryOutbox", () => {
  const mail = (to: string) => ({ to, template: "verify-email" as const, params: { token: `token-for-${to}` } });

  it("claims due mails under a lease so two dispatchers never send the same one", async () => {
    const { outbox, clock } = setup();
    await outbox.enqueue(mail("a@example.com"));
    await outbox.enqueue(mail("b@example.com"));
    const now = clock.now();
    const first = await outbox.claimDue(now, 1, 30);
    const second = await outbox.claimDue(now, 10, 30);
    expect(first.map((m) => m.mail.to)).toEqual(["a@example.com"]);
    expect(second.map((m) => m.mail.to)).toEqual(["b@example.com"]);
    expect(await outbox.claimDue(now, 10, 30)).toEqual([]);
    // A dispatcher that died lets its lease lapse.
    const relapsed = await outbox.claimDue(clock.advance({ seconds: 30 }), 10, 30);
    expect(relapsed.map((m) => [m.mail.to, m.attempts])).toEqual([
      ["a@example.com", 2],
      ["b@example.com", 2],
    ]);
  });

  it("erases the payload once sent and retries a failure at its time", async () => {
    const { outbox, clock } = setup();
    await outbox.enqueue(mail("a@example.com"));
    await outbox.enqueue(mail("b@example.com"));
    const [a, b] = await outbox.claimDue(clock.now(), 10, 30);
    await outbox.markSent(a!.id, clock.now());
    await outbox.markFailed(b!.id, "connection refused", clock.advance({ minutes: 5 }));
    await outbox.markFailed(a!.id, "late failure", clock.now());
    await outbox.markSent("ghost", clock.now());
    await outbox.markFailed("ghost", "x", clock.now());

    expect(outbox.messages[0]).toEqual({ to: "a@example.com", template: "verify-email", params: {} });
    expect((await outbox.pending()).map((m) => m.mail.to)).toEqual(["b@example.com"]);
    clock.advance({ seconds: -1 });
    expect(await outbox.claimDue(clock.now(), 10, 30)).toEqual([]);
    expect((await outbox.claimDue(clock.advance({ seconds: 1 }), 10, 30)).map((m) => m.mail.to)).toEqual(["b@example.com"]);
  });

  it("finds the newest mail and token to an address", async () => {
    const { outbox } = setup();
    await outbox.enqueue(mail("a@example.com"));
    await outbox.enqueue({ to: "a@example.com", template: "password-reset", params: { token: "reset" } });
    expect(outbox.lastTo("a@example.com")?.template).toBe("password-reset");
    expect(outbox.lastTo("a@example.com", "verify-email")?.params.token).toBe("token-for-a@example.com");
    expect(outbox.lastTokenFor(" A@Example.com ", "password-reset")).toBe("reset");
    expect(outbox.lastTokenFor("b@example.com", "password-reset")).toBeUndefined();
  });
});

describe("InMemoryRateLimitStore", () => {
  it("counts hits in fixed windows and forgets on reset", async () => {
    const { rateLimits, clock } = setup();
    const t0 = clock.now();
    expect(await rateLimits.peek("k", t0)).toBeNull();
    await rateLimits.hit("k", 60, t0);
    const second = await rateLimits.hit("k", 60, clock.advance({ seconds: 10 }));
    expect(second).toEqual({ count: 2, resetAt: new Date(t0.getTime() + 60_000), lastAt: clock.now() });
    expect((await rateLimits.peek("k", clock.now()))?.count).toBe(2);
    expect(await rateLimits.peek("k", clock.advance({ seconds: 50 }))).toBeNull();
    expect((await rateLimits.hit("k", 60, clock.now())).count).toBe(1);
    await rateLimits.reset("k");
    expect(await rateLimits.peek("k", clock.now())).toBeNull();
    await rateLimits.hit("k", 60, clock.now());
    rateLimits.clear();
    expect(await rateLimits.peek("k", clock.now())).toBeNull();
  });
});
