import { EmailTaken } from "../../src/domain/shared/domain-error";
import { User } from "../../src/domain/identity/user";
import type { PasswordHash } from "../../src/domain/identity/password";
import { aSession, aToken, aUser, anApiKey, anEvent, email, newId, seconds } from "./support/fixtures";
import { eachAdapter, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

describe.each(eachAdapter(persistenceAdapters()))("UserRepository on %s", (_name, adapter) => {
  const ctx = usePersistence(adapter);

  it("gives back every field of an inserted user, by id and by canonical e-mail", async () => {
    const now = ctx.clock.now();
    const user = aUser(now, "Ann.Lee@Example.com");
    user.markEmailVerified(seconds(now, 5));
    expect(await ctx.stores.users.insert(user)).toEqual({ ok: true, value: undefined });

    const byId = await ctx.stores.users.findById(user.id);
    expect(byId?.toSnapshot()).toEqual(user.toSnapshot());
    const byEmail = await ctx.stores.users.findByEmail(email("  ANN.LEE@example.COM "));
    expect(byEmail?.id).toBe(user.id);
    expect(byEmail?.email).toBe("ann.lee@example.com");
  });

  it("answers null for an unknown id or e-mail", async () => {
    expect(await ctx.stores.users.findById("no-such-user")).toBeNull();
    expect(await ctx.stores.users.findByEmail(email("nobody@example.com"))).toBeNull();
  });

  it("refuses a second account for the same address in any letter case with EmailTaken", async () => {
    const now = ctx.clock.now();
    const first = aUser(now, "taken@example.com");
    expect((await ctx.stores.users.insert(first)).ok).toBe(true);

    const again = await ctx.stores.users.insert(aUser(now, "TAKEN@Example.COM"));
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error).toBeInstanceOf(EmailTaken);
    expect(!again.ok && again.error.code).toBe("EMAIL_TAKEN");
    expect((await ctx.stores.users.findByEmail(email("taken@example.com")))?.id).toBe(first.id);
  });

  it("refuses a whole-script look-alike of an account's address with EmailTaken, and finds the account by it", async () => {
    const now = ctx.clock.now();
    const apple = aUser(now, "apple@example.com");
    expect((await ctx.stores.users.insert(apple)).ok).toBe(true);
    // "аррӏе": Cyrillic а, р, р, ӏ, е.
    const cyrillic = "\u0430\u0440\u0440\u04cf\u0435@example.com";

    const lookAlike = await ctx.stores.users.insert(aUser(now, cyrillic));
    expect(!lookAlike.ok && lookAlike.error).toBeInstanceOf(EmailTaken);
    expect(await ctx.stores.users.findByEmail(email(cyrillic))).toBeNull();
    expect((await ctx.stores.users.findLookAlike(email(cyrillic)))?.id).toBe(apple.id);
    expect((await ctx.stores.users.findLookAlike(email("apple@example.com")))?.id).toBe(apple.id);
    expect(await ctx.stores.users.findLookAlike(email("apples@example.com"))).toBeNull();
    // Distinct ASCII addresses stay distinct, whatever the full Unicode skeleton says of "m" and "rn".
    expect((await ctx.stores.users.insert(aUser(now, "modem@example.com"))).ok).toBe(true);
    expect((await ctx.stores.users.insert(aUser(now, "modern@example.com"))).ok).toBe(true);
  });

  it("refuses to move an account to another's address or a look-alike of it, and lets it move to a look-alike of its own", async () => {
    const now = ctx.clock.now();
    const scope = aUser(now, "scope@example.com");
    const ann = aUser(now, "ava@example.com");
    await ctx.stores.users.insert(scope);
    await ctx.stores.users.insert(ann);

    for (const taken of ["scope@example.com", "\u0455\u0441\u043e\u0440\u0435@example.com"]) {
      const moving = (await ctx.stores.users.findById(ann.id))!;
      moving.changeEmail(email(taken), seconds(now, 1));
      const saved = await ctx.uow.run((stores) => stores.users.saveNewEmail(moving));
      expect(!saved.ok && saved.error).toBeInstanceOf(EmailTaken);
    }
    expect((await ctx.stores.users.findById(ann.id))!.email).toBe("ava@example.com");

    const moving = (await ctx.stores.users.findById(scope.id))!;
    moving.changeEmail(email("\u0455\u0441\u043e\u0440\u0435@example.com"), seconds(now, 2));
    expect((await ctx.uow.run((stores) => stores.users.saveNewEmail(moving))).ok).toBe(true);
    expect((await ctx.stores.users.findLookAlike(email("scope@example.com")))?.id).toBe(scope.id);
    // The Latin address stays taken: it looks like the account's new one.
    expect((await ctx.stores.users.insert(aUser(now, "scope@example.com"))).ok).toBe(false);
    // An address that moved away frees its skeleton: Greek "ανα" looks like the "ava" it left.
    const greek = "\u03b1\u03bd\u03b1@example.com";
    expect((await ctx.stores.users.insert(aUser(now, greek))).ok).toBe(false);
    const leaving = (await ctx.stores.users.findById(ann.id))!;
    leaving.changeEmail(email("ann@example.com"), seconds(now, 3));
    expect((await ctx.uow.run((stores) => stores.users.saveNewEmail(leaving))).ok).toBe(true);
    expect((await ctx.stores.users.insert(aUser(now, greek))).ok).toBe(true);
  });

  it("lets exactly one of many simultaneous sign-ups with one address through", async () => {
    const now = ctx.clock.now();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ctx.uow.run((stores) => stores.users.insert(aUser(now, i % 2 ? "race@example.com" : "RACE@example.com"))),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error instanceof EmailTaken)).toHaveLength(11);
  });

  it("saves a verified address, a new password hash and keeps the creation time", async () => {
    const now = ctx.clock.now();
    const user = aUser(now);
    await ctx.stores.users.insert(user);

    const later = seconds(now, 60);
    const loaded = (await ctx.stores.users.findById(user.id))!;
    loaded.markEmailVerified(later);
    loaded.changePassword("$argon2id$v=19$new" as PasswordHash, later);
    await ctx.stores.users.save(loaded);

    const reloaded = (await ctx.stores.users.findById(user.id))!;
    expect(reloaded.emailVerifiedAt).toEqual(later);
    expect(reloaded.passwordHash).toBe("$argon2id$v=19$new");
    expect(reloaded.passwordChangedAt).toEqual(later);
    expect(reloaded.createdAt).toEqual(now);
  });

  it("changes nothing stored until save is called", async () => {
    const now = ctx.clock.now();
    const user = aUser(now);
    await ctx.stores.users.insert(user);
    user.markEmailVerified(now);
    expect((await ctx.stores.users.findById(user.id))!.emailVerified).toBe(false);
  });

  it("deletes a user together with their sessions, tokens, API keys and events, and nobody else's", async () => {
    const now = ctx.clock.now();
    const doomed = aUser(now);
    const other = aUser(now);
    for (const user of [doomed, other]) await ctx.stores.users.insert(user);
    const own = {
      session: aSession(doomed.id, now),
      token: aToken(doomed.id, now),
      key: anApiKey(doomed.id, now),
    };
    const theirs = {
      session: aSession(other.id, now),
      token: aToken(other.id, now),
      key: anApiKey(other.id, now),
    };
    for (const set of [own, theirs]) {
      await ctx.stores.sessions.insert(set.session);
      await ctx.stores.tokens.insert(set.token);
      await ctx.stores.apiKeys.insert(set.key);
    }
    await ctx.stores.events.record(anEvent(doomed.id, now));
    await ctx.stores.events.record(anEvent(other.id, now));

    await ctx.stores.users.delete(doomed.id);

    expect(await ctx.stores.users.findById(doomed.id)).toBeNull();
    expect(await ctx.stores.users.findByEmail(email(doomed.email))).toBeNull();
    expect(await ctx.stores.sessions.findById(own.session.id)).toBeNull();
    expect(await ctx.stores.tokens.findByHash(own.token.tokenHash)).toBeNull();
    expect(await ctx.stores.apiKeys.findByPrefix(own.key.prefix)).toBeNull();
    expect(await ctx.stores.events.listForUser(doomed.id, 10)).toEqual([]);

    expect(await ctx.stores.users.findById(other.id)).not.toBeNull();
    expect(await ctx.stores.sessions.findById(theirs.session.id)).not.toBeNull();
    expect(await ctx.stores.tokens.findByHash(theirs.token.tokenHash)).not.toBeNull();
    expect(await ctx.stores.apiKeys.findByPrefix(theirs.key.prefix)).not.toBeNull();
    expect(await ctx.stores.events.listForUser(other.id, 10)).toHaveLength(1);
  });

  it("frees the address of a deleted account for a new sign-up", async () => {
    const now = ctx.clock.now();
    const user = aUser(now, "again@example.com");
    await ctx.stores.users.insert(user);
    await ctx.stores.users.delete(user.id);
    expect((await ctx.stores.users.insert(aUser(now, "again@example.com"))).ok).toBe(true);
  });

  it("treats deleting an unknown user as done", async () => {
    await expect(ctx.stores.users.delete(newId())).resolves.toBeUndefined();
  });

  it("keeps the hash exactly as given (no trimming or re-encoding)", async () => {
    const now = ctx.clock.now();
    const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo" as PasswordHash;
    const user = User.create({ id: newId("usr"), email: email("exact@example.com"), passwordHash: hash }, now);
    await ctx.stores.users.insert(user);
    expect((await ctx.stores.users.findById(user.id))!.passwordHash).toBe(hash);
  });
});
