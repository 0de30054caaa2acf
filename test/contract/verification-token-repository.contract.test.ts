import { VerificationToken } from "../../src/domain/identity/verification-token";
import { aToken, aUser, newId, seconds } from "./support/fixtures";
import { eachAdapter, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

describe.each(eachAdapter(persistenceAdapters()))("VerificationTokenRepository on %s", (_name, adapter) => {
  const ctx = usePersistence(adapter);

  async function aUserId(): Promise<string> {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    return user.id;
  }

  it("finds a token by its hash with every field, and nothing for an unknown hash", async () => {
    const token = aToken(await aUserId(), ctx.clock.now(), { purpose: "reset-password", email: "ann@example.com" });
    await ctx.stores.tokens.insert(token);
    expect((await ctx.stores.tokens.findByHash(token.tokenHash))?.toSnapshot()).toEqual(token.toSnapshot());
    expect(await ctx.stores.tokens.findByHash("0".repeat(64))).toBeNull();
  });

  it("refuses a second token with the same hash", async () => {
    const userId = await aUserId();
    const token = aToken(userId, ctx.clock.now());
    await ctx.stores.tokens.insert(token);
    const clash = aToken(userId, ctx.clock.now());
    const copy = { ...clash.toSnapshot(), tokenHash: token.tokenHash };
    await expect(ctx.stores.tokens.insert(VerificationToken.restore(copy))).rejects.toThrow();
  });

  it("consumes a token once: the second attempt is refused", async () => {
    const token = aToken(await aUserId(), ctx.clock.now());
    await ctx.stores.tokens.insert(token);
    const at = ctx.clock.advance(10);
    expect(await ctx.stores.tokens.consume(token.id, at)).toBe(true);
    expect(await ctx.stores.tokens.consume(token.id, ctx.clock.advance(1))).toBe(false);
    expect((await ctx.stores.tokens.findByHash(token.tokenHash))!.consumedAt).toEqual(at);
  });

  it("refuses an expired token, from the very instant of its expiry", async () => {
    const token = aToken(await aUserId(), ctx.clock.now(), { ttlSeconds: 60 });
    await ctx.stores.tokens.insert(token);
    expect(await ctx.stores.tokens.consume(token.id, token.expiresAt)).toBe(false);
    expect(await ctx.stores.tokens.consume(token.id, seconds(token.expiresAt, -1))).toBe(true);
  });

  it("refuses an unknown token id", async () => {
    expect(await ctx.stores.tokens.consume(newId(), ctx.clock.now())).toBe(false);
  });

  it("voids the outstanding tokens of one user and purpose only", async () => {
    const userId = await aUserId();
    const otherId = await aUserId();
    const now = ctx.clock.now();
    const resets = [aToken(userId, now, { purpose: "reset-password" }), aToken(userId, now, { purpose: "reset-password" })];
    const verify = aToken(userId, now, { purpose: "verify-email" });
    const othersReset = aToken(otherId, now, { purpose: "reset-password" });
    const used = aToken(userId, now, { purpose: "reset-password" });
    for (const t of [...resets, verify, othersReset, used]) await ctx.stores.tokens.insert(t);
    const consumedAt = ctx.clock.advance(1);
    await ctx.stores.tokens.consume(used.id, consumedAt);

    const at = ctx.clock.advance(1);
    await ctx.stores.tokens.invalidateAllForUser(userId, "reset-password", at);

    for (const t of resets) {
      expect((await ctx.stores.tokens.findByHash(t.tokenHash))!.invalidatedAt).toEqual(at);
      expect(await ctx.stores.tokens.consume(t.id, ctx.clock.now())).toBe(false);
    }
    expect((await ctx.stores.tokens.findByHash(used.tokenHash))!.invalidatedAt).toBeNull();
    expect(await ctx.stores.tokens.consume(verify.id, ctx.clock.now())).toBe(true);
    expect(await ctx.stores.tokens.consume(othersReset.id, ctx.clock.now())).toBe(true);
  });

  it("lets exactly one of 20 simultaneous consumers win", async () => {
    const token = aToken(await aUserId(), ctx.clock.now());
    await ctx.stores.tokens.insert(token);
    const at = ctx.clock.advance(5);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => ctx.stores.tokens.consume(token.id, at)));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it("lets exactly one of 20 simultaneous units of work consume the token", async () => {
    const token = aToken(await aUserId(), ctx.clock.now());
    await ctx.stores.tokens.insert(token);
    const at = ctx.clock.advance(5);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => ctx.uow.run((stores) => stores.tokens.consume(token.id, at))),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });
});
