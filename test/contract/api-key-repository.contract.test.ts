import { ApiKey } from "../../src/domain/api-key/api-key";
import { aUser, anApiKey, newId } from "./support/fixtures";
import { eachAdapter, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

describe.each(eachAdapter(persistenceAdapters()))("ApiKeyRepository on %s", (_name, adapter) => {
  const ctx = usePersistence(adapter);

  async function aUserId(): Promise<string> {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    return user.id;
  }

  it("finds a key by its prefix with every field, and nothing for an unknown prefix", async () => {
    const key = anApiKey(await aUserId(), ctx.clock.now(), "  deploy bot  ");
    await ctx.stores.apiKeys.insert(key);
    const found = await ctx.stores.apiKeys.findByPrefix(key.prefix);
    expect(found?.toSnapshot()).toEqual(key.toSnapshot());
    expect(found?.name).toBe("deploy bot");
    expect(await ctx.stores.apiKeys.findByPrefix("nope")).toBeNull();
  });

  it("refuses a second key with the same prefix", async () => {
    const userId = await aUserId();
    const key = anApiKey(userId, ctx.clock.now());
    await ctx.stores.apiKeys.insert(key);
    const clash = ApiKey.restore({ ...anApiKey(userId, ctx.clock.now()).toSnapshot(), prefix: key.prefix });
    await expect(ctx.stores.apiKeys.insert(clash)).rejects.toThrow();
  });

  it("refuses a key for a user that does not exist", async () => {
    await expect(ctx.stores.apiKeys.insert(anApiKey(newId("ghost"), ctx.clock.now()))).rejects.toThrow();
  });

  it("lists a user's unrevoked keys newest first, nobody else's", async () => {
    const userId = await aUserId();
    const older = anApiKey(userId, ctx.clock.now(), "older");
    const newer = anApiKey(userId, ctx.clock.advance(60), "newer");
    const revoked = anApiKey(userId, ctx.clock.advance(60), "revoked");
    const foreign = anApiKey(await aUserId(), ctx.clock.advance(60), "foreign");
    for (const k of [older, newer, revoked, foreign]) await ctx.stores.apiKeys.insert(k);
    await ctx.stores.apiKeys.revoke(revoked.id, userId, ctx.clock.now());

    expect((await ctx.stores.apiKeys.listForUser(userId)).map((k) => k.name)).toEqual(["newer", "older"]);
  });

  it("revokes only the owner's key, once", async () => {
    const owner = await aUserId();
    const intruder = await aUserId();
    const key = anApiKey(owner, ctx.clock.now());
    await ctx.stores.apiKeys.insert(key);

    expect(await ctx.stores.apiKeys.revoke(key.id, intruder, ctx.clock.now())).toBe(false);
    expect((await ctx.stores.apiKeys.findByPrefix(key.prefix))!.isRevoked).toBe(false);

    const at = ctx.clock.advance(1);
    expect(await ctx.stores.apiKeys.revoke(key.id, owner, at)).toBe(true);
    expect(await ctx.stores.apiKeys.revoke(key.id, owner, ctx.clock.advance(1))).toBe(false);
    expect((await ctx.stores.apiKeys.findByPrefix(key.prefix))!.revokedAt).toEqual(at);
    expect(await ctx.stores.apiKeys.revoke(newId(), owner, at)).toBe(false);
  });
});
