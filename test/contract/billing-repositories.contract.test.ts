import type { TeamSubscriptionSnapshot } from "../../src/domain/billing/subscription";
import { aTeam } from "./support/fixtures";
import { eachAdapter, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

describe.each(eachAdapter(persistenceAdapters()))("SubscriptionRepository and BillingEventLog on %s", (name, adapter) => {
  const ctx = usePersistence(adapter);

  async function aTeamId(): Promise<string> {
    const team = aTeam(ctx.clock.now());
    await ctx.stores.teams.insert(team);
    return team.id;
  }

  function subscription(teamId: string, at: Date, extra: Partial<TeamSubscriptionSnapshot> = {}): TeamSubscriptionSnapshot {
    return {
      teamId,
      plan: "pro",
      status: "active",
      currentPeriodEnd: new Date(at.getTime() + 30 * 86400_000),
      cancelAtPeriodEnd: false,
      customerId: `cus_${teamId}`,
      subscriptionId: `sub_${teamId}`,
      lastEventAt: at,
      updatedAt: at,
      ...extra,
    };
  }

  it("stores a team's subscription and finds it by team and by customer", async () => {
    const teamId = await aTeamId();
    const stored = subscription(teamId, ctx.clock.now(), { currentPeriodEnd: null });
    expect(await ctx.stores.subscriptions.saveIfNotOlder(stored)).toBe(true);
    expect(await ctx.stores.subscriptions.findByTeam(teamId)).toEqual(stored);
    expect(await ctx.stores.subscriptions.findTeamByCustomer(stored.customerId)).toBe(teamId);
    expect(await ctx.stores.subscriptions.findByTeam("nope")).toBeNull();
    expect(await ctx.stores.subscriptions.findTeamByCustomer("cus_nope")).toBeNull();
  });

  it("replaces it with state from a newer or equally new event, never an older one", async () => {
    const teamId = await aTeamId();
    const t0 = ctx.clock.now();
    expect(await ctx.stores.subscriptions.saveIfNotOlder(subscription(teamId, t0))).toBe(true);
    const later = ctx.clock.advance(60);
    expect(await ctx.stores.subscriptions.saveIfNotOlder(subscription(teamId, later, { cancelAtPeriodEnd: true }))).toBe(true);
    expect(await ctx.stores.subscriptions.saveIfNotOlder(subscription(teamId, t0, { status: "past_due" }))).toBe(false);
    expect(await ctx.stores.subscriptions.findByTeam(teamId)).toMatchObject({ status: "active", cancelAtPeriodEnd: true, lastEventAt: later });
    expect(await ctx.stores.subscriptions.saveIfNotOlder(subscription(teamId, later, { status: "canceled" }))).toBe(true);
    expect((await ctx.stores.subscriptions.findByTeam(teamId))?.status).toBe("canceled");
  });

  it("refuses a subscription for a team that does not exist, and goes with its team", async () => {
    await expect(ctx.stores.subscriptions.saveIfNotOlder(subscription("ghost", ctx.clock.now()))).rejects.toThrow();
    const teamId = await aTeamId();
    await ctx.stores.subscriptions.saveIfNotOlder(subscription(teamId, ctx.clock.now()));
    await ctx.stores.teams.delete(teamId);
    expect(await ctx.stores.subscriptions.findByTeam(teamId)).toBeNull();
  });

  it("records an event id once", async () => {
    expect(await ctx.stores.billingEvents.recordApplied("evt_1", ctx.clock.now())).toBe(true);
    expect(await ctx.stores.billingEvents.recordApplied("evt_1", ctx.clock.now())).toBe(false);
    expect(await ctx.stores.billingEvents.recordApplied("evt_2", ctx.clock.now())).toBe(true);
  });

  it("of concurrent units of work recording one event id, exactly one records it; a rolled-back one records nothing", async () => {
    const attempts = await Promise.all(
      Array.from({ length: 6 }, () => ctx.uow.run((stores) => stores.billingEvents.recordApplied("evt_race", ctx.clock.now()))),
    );
    expect(attempts.filter(Boolean)).toHaveLength(1);
    await expect(
      ctx.uow.run(async (stores) => {
        await stores.billingEvents.recordApplied("evt_rolled_back", ctx.clock.now());
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await ctx.stores.billingEvents.recordApplied("evt_rolled_back", ctx.clock.now())).toBe(true);
  });

  it("of concurrent saves for one team the newest event's state is what remains", async () => {
    const teamId = await aTeamId();
    const base = ctx.clock.now().getTime();
    const order = [3, 1, 5, 2, 4, 0];
    await Promise.all(
      order.map((i) => ctx.uow.run((stores) => stores.subscriptions.saveIfNotOlder(subscription(teamId, new Date(base + i * 1000), { subscriptionId: `sub_${i}` })))),
    );
    expect((await ctx.stores.subscriptions.findByTeam(teamId))?.subscriptionId).toBe("sub_5");
  });
});
