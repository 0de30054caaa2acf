import { randomBytes } from "node:crypto";
import { Passkey } from "../../src/domain/passkey/passkey";
import { newPasskeyChallenge } from "../../src/domain/passkey/passkey-challenge";
import { aUser } from "./support/fixtures";
import { eachAdapter, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

describe.each(eachAdapter(persistenceAdapters()))("PasskeyRepository and PasskeyChallengeRepository on %s", (_name, adapter) => {
  const ctx = usePersistence(adapter);

  async function aUserId(): Promise<string> {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    return user.id;
  }

  function aPasskey(userId: string, extra: { credentialId?: string; counter?: number; name?: string } = {}): Passkey {
    const created = Passkey.create(
      {
        id: `pk_${randomBytes(8).toString("hex")}`,
        userId,
        credentialId: extra.credentialId ?? randomBytes(32).toString("base64url"),
        publicKey: new Uint8Array(randomBytes(77)),
        counter: extra.counter ?? 0,
        transports: ["internal", "hybrid"],
        name: extra.name ?? "Laptop",
      },
      ctx.clock.advance(1),
    );
    if (!created.ok) throw new Error(created.error.code);
    return created.value;
  }

  it("stores a passkey with its key bytes and transports, and finds it by credential id", async () => {
    const passkey = aPasskey(await aUserId(), { counter: 7 });
    expect((await ctx.stores.passkeys.insert(passkey)).ok).toBe(true);
    const found = await ctx.stores.passkeys.findByCredentialId(passkey.credentialId);
    expect(found?.toSnapshot()).toEqual(passkey.toSnapshot());
    expect(found?.publicKey).toBeInstanceOf(Uint8Array);
    expect(await ctx.stores.passkeys.findByCredentialId("nope")).toBeNull();
  });

  it("binds a credential id to one passkey: a second insert, by anyone, is PASSKEY_ALREADY_REGISTERED", async () => {
    const ann = await aUserId();
    const bob = await aUserId();
    const first = aPasskey(ann);
    await ctx.stores.passkeys.insert(first);
    const again = await ctx.stores.passkeys.insert(aPasskey(bob, { credentialId: first.credentialId }));
    expect(!again.ok && again.error.code).toBe("PASSKEY_ALREADY_REGISTERED");
    // Inside a unit of work the refusal does not break the transaction.
    const inUow = await ctx.uow.run(async (s) => {
      const r = await s.passkeys.insert(aPasskey(ann, { credentialId: first.credentialId }));
      const other = await s.passkeys.insert(aPasskey(ann));
      return { r: r.ok, other: other.ok };
    });
    expect(inUow).toEqual({ r: false, other: true });
    expect((await ctx.stores.passkeys.findByCredentialId(first.credentialId))?.userId).toBe(ann);
  });

  it("refuses a passkey for a user that does not exist, and goes with its user", async () => {
    await expect(ctx.stores.passkeys.insert(aPasskey("ghost"))).rejects.toThrow();
    const ann = await aUserId();
    const passkey = aPasskey(ann);
    await ctx.stores.passkeys.insert(passkey);
    await ctx.stores.users.delete(ann);
    expect(await ctx.stores.passkeys.findByCredentialId(passkey.credentialId)).toBeNull();
  });

  it("lists a user's passkeys oldest first and removes only the owner's", async () => {
    const ann = await aUserId();
    const bob = await aUserId();
    const a1 = aPasskey(ann, { name: "One" });
    const a2 = aPasskey(ann, { name: "Two" });
    const b1 = aPasskey(bob);
    for (const p of [a2, b1, a1]) await ctx.stores.passkeys.insert(p);
    expect((await ctx.stores.passkeys.listForUser(ann)).map((p) => p.name)).toEqual(["One", "Two"]);
    expect(await ctx.stores.passkeys.delete(bob, a1.id)).toBeNull();
    expect((await ctx.stores.passkeys.delete(ann, a1.id))?.name).toBe("One");
    expect(await ctx.stores.passkeys.delete(ann, a1.id)).toBeNull();
    expect((await ctx.stores.passkeys.listForUser(ann)).map((p) => p.name)).toEqual(["Two"]);
  });

  it("stores a new counter only over the expected one (compare-and-set)", async () => {
    const passkey = aPasskey(await aUserId(), { counter: 3 });
    await ctx.stores.passkeys.insert(passkey);
    const at = ctx.clock.advance(5);
    const results = await Promise.all([4, 4, 4].map((n) => ctx.stores.passkeys.recordUse(passkey.id, 3, n, at)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await ctx.stores.passkeys.recordUse(passkey.id, 3, 5, at)).toBe(false);
    const stored = await ctx.stores.passkeys.findByCredentialId(passkey.credentialId);
    expect({ counter: stored?.counter, lastUsedAt: stored?.lastUsedAt }).toEqual({ counter: 4, lastUsedAt: at });
  });

  it("hands a challenge out once, for its ceremony, before it expires; also to concurrent callers", async () => {
    const ann = await aUserId();
    const now = ctx.clock.now();
    await ctx.stores.passkeyChallenges.insert(newPasskeyChallenge("reg-1", "registration", ann, now), now);
    expect(await ctx.stores.passkeyChallenges.consume("reg-1", "authentication", now)).toBeNull();
    const taken = await Promise.all([1, 2, 3].map(() => ctx.stores.passkeyChallenges.consume("reg-1", "registration", now)));
    expect(taken.filter(Boolean)).toEqual([expect.objectContaining({ challenge: "reg-1", ceremony: "registration", userId: ann })]);

    await ctx.stores.passkeyChallenges.insert(newPasskeyChallenge("auth-1", "authentication", null, now), now);
    const later = ctx.clock.advance({ minutes: 5 });
    expect(await ctx.stores.passkeyChallenges.consume("auth-1", "authentication", later)).toBeNull();
    // Consumed even though expired: it is gone either way.
    expect(await ctx.stores.passkeyChallenges.consume("auth-1", "authentication", now)).toBeNull();
  });

  it("drops expired challenges as new ones come", async () => {
    const now = ctx.clock.now();
    await ctx.stores.passkeyChallenges.insert(newPasskeyChallenge("old", "authentication", null, now), now);
    const later = ctx.clock.advance({ minutes: 6 });
    await ctx.stores.passkeyChallenges.insert(newPasskeyChallenge("new", "authentication", null, later), later);
    expect(await ctx.stores.passkeyChallenges.consume("old", "authentication", now)).toBeNull();
    expect(await ctx.stores.passkeyChallenges.consume("new", "authentication", later)).not.toBeNull();
  });
});
