import { aUser, anEvent, seconds } from "./support/fixtures";
import { eachAdapter, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

describe.each(eachAdapter(persistenceAdapters()))("AuthEventLog on %s", (_name, adapter) => {
  const ctx = usePersistence(adapter);

  it("gives back a recorded event with every field", async () => {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    const event = anEvent(user.id, ctx.clock.now(), "session.revoked", { sessionId: "s1", reason: "sign-out" });
    await ctx.stores.events.record(event);
    expect(await ctx.stores.events.listForUser(user.id, 10)).toEqual([event]);
  });

  it("lists a user's events newest first, same-instant events in reverse order of recording, up to the limit", async () => {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    const t0 = ctx.clock.now();
    const first = anEvent(user.id, t0, "sign-up");
    const second = anEvent(user.id, seconds(t0, 10), "sign-in.failed", { reason: "wrong-password" });
    const third = anEvent(user.id, seconds(t0, 10), "sign-in.succeeded");
    const fourth = anEvent(user.id, seconds(t0, 20), "sign-out");
    for (const e of [first, second, third, fourth]) await ctx.stores.events.record(e);

    expect((await ctx.stores.events.listForUser(user.id, 10)).map((e) => e.id)).toEqual([
      fourth.id,
      third.id,
      second.id,
      first.id,
    ]);
    expect((await ctx.stores.events.listForUser(user.id, 2)).map((e) => e.id)).toEqual([fourth.id, third.id]);
    expect(await ctx.stores.events.listForUser(user.id, 0)).toEqual([]);
  });

  it("keeps events of other users and of no account out of a user's list", async () => {
    const user = aUser(ctx.clock.now());
    const other = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    await ctx.stores.users.insert(other);
    await ctx.stores.events.record(anEvent(other.id, ctx.clock.now()));
    await ctx.stores.events.record(anEvent(null, ctx.clock.now(), "sign-in.failed", { reason: "unknown-email" }));
    expect(await ctx.stores.events.listForUser(user.id, 10)).toEqual([]);
  });

  it("records an event for an account deleted in the same unit of work", async () => {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    const deleted = anEvent(user.id, ctx.clock.now(), "account.deleted");
    await ctx.uow.run(async (stores) => {
      await stores.users.delete(user.id);
      await stores.events.record(deleted);
    });
    expect(await ctx.stores.users.findById(user.id)).toBeNull();
    // The deletion itself stays on record; everything before it went with the account.
    expect(await ctx.stores.events.listForUser(user.id, 10)).toEqual([deleted]);
  });
});
