import { createInMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";
import { apiKeyPrefixOf } from "../../../src/application/api-keys";

describe("CreateApiKey", () => {
  it("issues a key shown once, storing only its hash", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });

    const result = await auth.useCases.createApiKey.execute({ userId: ann.user.id, sessionId: ann.session.id, name: "  CI deploy ", context: auth.context });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { apiKey, secret } = result.value;
    expect(secret).toMatch(/^ak_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyPrefixOf(secret)).toBe(apiKey.prefix);
    expect(apiKey.name).toBe("CI deploy");
    const stored = await auth.stores.apiKeys.findByPrefix(apiKey.prefix);
    expect(stored?.secretHash).toBe(auth.randomTokens.hash(secret));
    expect(JSON.stringify([...auth.db.tables.apiKeys.values(), ...auth.db.tables.events.values()])).not.toContain(secret.slice(20));
    expect((await auth.stores.events.listForUser(ann.user.id, 1))[0]).toMatchObject({ type: "api-key.created", detail: { apiKeyId: apiKey.id } });
  });

  it("requires a verified address, read from storage, and has no side effect otherwise", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com", verified: false });
    const result = await auth.useCases.createApiKey.execute({ userId: ann.user.id, sessionId: ann.session.id, name: "deploy" });
    expect(!result.ok && result.error.code).toBe("EMAIL_NOT_VERIFIED");
    expect(auth.db.tables.apiKeys.size).toBe(0);

    await auth.useCases.verifyEmail.execute({ token: auth.outbox.lastTokenFor("ann@example.com", "verify-email")! });
    expect((await auth.useCases.createApiKey.execute({ userId: ann.user.id, sessionId: ann.session.id, name: "deploy" })).ok).toBe(true);
  });

  it.each([["an empty name", "   "], ["a 101-character name", "k".repeat(101)], ["no name", undefined]])("refuses %s", async (_label, name) => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const result = await auth.useCases.createApiKey.execute({ userId: ann.user.id, sessionId: ann.session.id, name: name as string });
    expect(!result.ok && result.error).toMatchObject({ code: "VALIDATION_FAILED", fields: { name: expect.any(String) } });
  });

  it("refuses an unknown user", async () => {
    const auth = createInMemoryAuth();
    const result = await auth.useCases.createApiKey.execute({ userId: "nobody", sessionId: "none", name: "deploy" });
    expect(!result.ok && result.error.code).toBe("UNAUTHENTICATED");
  });
});

describe("apiKeyPrefixOf", () => {
  it("finds the prefix only in a well-formed key", () => {
    expect(apiKeyPrefixOf(`ak_0123456789abcdef_${"s".repeat(43)}`)).toBe("0123456789abcdef");
    expect(apiKeyPrefixOf(`ak_0123456789ABCDEF_${"s".repeat(43)}`)).toBeNull();
    expect(apiKeyPrefixOf("ak_0123456789abcdef_short")).toBeNull();
    expect(apiKeyPrefixOf("nonsense")).toBeNull();
  });
});

describe("ListApiKeys and RevokeApiKey", () => {
  async function setup() {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    const bob = await auth.registerUser({ email: "bob@example.com" });
    const create = async (userId: string, name: string) => {
      const sessionId = (userId === ann.user.id ? ann : bob).session.id;
      const result = await auth.useCases.createApiKey.execute({ userId, sessionId, name });
      if (!result.ok) throw new Error(result.error.code);
      auth.clock.advance({ seconds: 1 });
      return result.value.apiKey;
    };
    return { auth, ann, bob, create };
  }

  it("lists the user's own working keys, newest first, without secrets", async () => {
    const { auth, ann, bob, create } = await setup();
    const first = await create(ann.user.id, "first");
    const second = await create(ann.user.id, "second");
    await create(bob.user.id, "bob's");

    const result = await auth.useCases.listApiKeys.execute({ userId: ann.user.id });

    expect(result.ok && result.value.map((key) => key.id)).toEqual([second.id, first.id]);
  });

  it("revokes one of the user's keys, which then drops out of the list", async () => {
    const { auth, ann, create } = await setup();
    const key = await create(ann.user.id, "deploy");

    expect((await auth.useCases.revokeApiKey.execute({ userId: ann.user.id, apiKeyId: key.id, context: auth.context })).ok).toBe(true);

    const list = await auth.useCases.listApiKeys.execute({ userId: ann.user.id });
    expect(list.ok && list.value).toEqual([]);
    expect((await auth.stores.apiKeys.findByPrefix(key.prefix))?.isRevoked).toBe(true);
    expect((await auth.stores.events.listForUser(ann.user.id, 1))[0]).toMatchObject({ type: "api-key.revoked", detail: { apiKeyId: key.id } });
  });

  it("answers not found for someone else's, an unknown or an already revoked key", async () => {
    const { auth, ann, bob, create } = await setup();
    const bobs = await create(bob.user.id, "bob's");
    const mine = await create(ann.user.id, "mine");
    await auth.useCases.revokeApiKey.execute({ userId: ann.user.id, apiKeyId: mine.id });

    for (const apiKeyId of [bobs.id, "unknown", mine.id]) {
      const result = await auth.useCases.revokeApiKey.execute({ userId: ann.user.id, apiKeyId });
      expect(!result.ok && result.error).toMatchObject({ code: "NOT_FOUND", message: "API key was not found." });
    }
    expect((await auth.stores.apiKeys.findByPrefix(bobs.prefix))?.isRevoked).toBe(false);
  });
});
