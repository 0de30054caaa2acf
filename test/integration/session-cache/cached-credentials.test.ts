import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import { createInMemoryStores } from "../../../src/infrastructure/persistence/in-memory";
import { createLocalInvalidationBus, SessionCache } from "../../../src/infrastructure/session-cache";
import { CachedApiKeyRepository } from "../../../src/infrastructure/session-cache/cached-credentials";
import type { InvalidationNotice } from "../../../src/infrastructure/session-cache/invalidation-bus";
import { aUser, anApiKey } from "../../contract/support/fixtures";

/** Two instances' caches over one store; a write on one is applied on both, as the bus does. */
async function setUp() {
  const clock = new ControllableClock(new Date());
  const raw = createInMemoryStores({ clock });
  const user = aUser(clock.now());
  await raw.stores.users.insert(user);
  const key = anApiKey(user.id, clock.now());
  await raw.stores.apiKeys.insert(key);
  const caches = [new SessionCache(), new SessionCache()].map((cache) => cache.attach(createLocalInvalidationBus()));
  const published: InvalidationNotice[] = [];
  const report = { wrote: async (notice: InvalidationNotice) => void (published.push(notice), caches.forEach((cache) => cache.apply(notice))) };
  const [a, b] = caches.map((cache) => new CachedApiKeyRepository(raw.stores.apiKeys, cache, report));
  return { clock, raw, user, key, caches, published, a: a!, b: b! };
}

describe("bearer credentials behind the session cache", () => {
  it("serves a repeated look-up by prefix from the cache", async () => {
    const { a, key, caches } = await setUp();
    expect((await a.findByPrefix(key.prefix))?.id).toBe(key.id);
    const hits = caches[0]!.stats.hits;
    expect((await a.findByPrefix(key.prefix))?.id).toBe(key.id);
    expect(caches[0]!.stats.hits).toBe(hits + 1);
  });

  it("a revocation on one instance is seen by the other on its next look-up, announced under the owner with confirmation", async () => {
    const { a, b, key, user, published } = await setUp();
    expect((await b.findByPrefix(key.prefix))?.isRevoked).toBe(false);
    expect(await a.revoke(key.id, user.id, new Date())).toBe(true);
    expect(published).toEqual([{ users: [user.id], confirm: true }]);
    expect((await b.findByPrefix(key.prefix))?.isRevoked).toBe(true);
  });

  it("keeps the last-use time it wrote in its own copy, so it writes at most once a minute", async () => {
    const { a, key, clock } = await setUp();
    await a.findByPrefix(key.prefix);
    const at = clock.now();
    await a.recordUse(key.id, at, new Date(at.getTime() - 60_000));
    expect((await a.findByPrefix(key.prefix))?.lastUsedAt).toEqual(at);
  });
});
