import { EmailTaken, NotFound } from "../../src/domain/shared/domain-error";
import { fail, ok } from "../../src/domain/shared/result";
import { aSession, aToken, aUser, anApiKey, anEvent, email, newId } from "./support/fixtures";
import { eachAdapter, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

describe.each(eachAdapter(persistenceAdapters()))("UnitOfWork on %s", (_name, adapter) => {
  const ctx = usePersistence(adapter);

  /** Writes to every store, so a rollback can be seen on each of them. */
  async function writeEverything(stores: typeof ctx.stores, address: string) {
    const now = ctx.clock.now();
    const user = aUser(now, address);
    const inserted = await stores.users.insert(user);
    if (!inserted.ok) throw new Error("setup: e-mail taken");
    const session = aSession(user.id, now);
    const token = aToken(user.id, now);
    const key = anApiKey(user.id, now);
    await stores.sessions.insert(session);
    await stores.tokens.insert(token);
    await stores.apiKeys.insert(key);
    await stores.outbox.enqueue({ to: user.email, template: "verify-email", params: { token: "secret-token" } });
    await stores.events.record(anEvent(user.id, now, "sign-up"));
    return { user, session, token, key };
  }

  async function expectNothingOf(written: Awaited<ReturnType<typeof writeEverything>>) {
    expect(await ctx.stores.users.findById(written.user.id)).toBeNull();
    expect(await ctx.stores.sessions.findById(written.session.id)).toBeNull();
    expect(await ctx.stores.tokens.findByHash(written.token.tokenHash)).toBeNull();
    expect(await ctx.stores.apiKeys.findByPrefix(written.key.prefix)).toBeNull();
    expect(await ctx.outbox.pending()).toEqual([]);
    expect(await ctx.stores.events.listForUser(written.user.id, 10)).toEqual([]);
  }

  it("commits every store's writes when the work resolves, and returns its value", async () => {
    const result = await ctx.uow.run(async (stores) => ok(await writeEverything(stores, "commit@example.com")));
    expect(result.ok).toBe(true);
    const written = result.ok ? result.value : undefined;
    expect((await ctx.stores.users.findById(written!.user.id))?.email).toBe("commit@example.com");
    expect(await ctx.stores.sessions.findById(written!.session.id)).not.toBeNull();
    expect(await ctx.stores.tokens.findByHash(written!.token.tokenHash)).not.toBeNull();
    expect(await ctx.stores.apiKeys.findByPrefix(written!.key.prefix)).not.toBeNull();
    expect((await ctx.outbox.pending()).map((m) => m.mail.params)).toEqual([{ token: "secret-token" }]);
    expect(await ctx.stores.events.listForUser(written!.user.id, 10)).toHaveLength(1);
  });

  it("commits when the work resolves a plain value that is not a Result", async () => {
    const user = aUser(ctx.clock.now());
    expect(await ctx.uow.run(async (stores) => (await stores.users.insert(user), 42))).toBe(42);
    expect(await ctx.stores.users.findById(user.id)).not.toBeNull();
  });

  it("rolls back every store and rethrows when the work throws", async () => {
    let written: Awaited<ReturnType<typeof writeEverything>> | undefined;
    const boom = new Error("boom");
    await expect(
      ctx.uow.run(async (stores) => {
        written = await writeEverything(stores, "throw@example.com");
        throw boom;
      }),
    ).rejects.toBe(boom);
    await expectNothingOf(written!);
  });

  it("rolls back every store and hands back the failure when the work resolves { ok: false }", async () => {
    let written: Awaited<ReturnType<typeof writeEverything>> | undefined;
    const refusal = new NotFound("Thing");
    const result = await ctx.uow.run(async (stores) => {
      written = await writeEverything(stores, "refuse@example.com");
      return fail(refusal);
    });
    expect(result).toEqual({ ok: false, error: refusal });
    await expectNothingOf(written!);
  });

  it("sees its own writes before it commits", async () => {
    await ctx.uow.run(async (stores) => {
      const { user, session } = await writeEverything(stores, "own@example.com");
      expect((await stores.users.findByEmail(email("own@example.com")))?.id).toBe(user.id);
      expect(await stores.sessions.findById(session.id)).not.toBeNull();
      return ok();
    });
  });

  it("keeps working after a taken e-mail inside the work, and rolls back when it returns EmailTaken", async () => {
    const now = ctx.clock.now();
    await ctx.stores.users.insert(aUser(now, "exists@example.com"));
    const bystander = aUser(now, "bystander@example.com");

    const result = await ctx.uow.run(async (stores) => {
      await stores.users.insert(bystander);
      const again = await stores.users.insert(aUser(now, "EXISTS@example.com"));
      // The transaction must still be usable after the conflict (no aborted transaction).
      expect(await stores.users.findByEmail(email("exists@example.com"))).not.toBeNull();
      await stores.events.record(anEvent(null, now, "sign-in.failed"));
      return again;
    });

    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBeInstanceOf(EmailTaken);
    expect(await ctx.stores.users.findById(bystander.id)).toBeNull();
  });

  it("commits a unit of work that handled a taken e-mail and went on", async () => {
    const now = ctx.clock.now();
    await ctx.stores.users.insert(aUser(now, "exists@example.com"));
    const other = aUser(now, "other@example.com");
    await ctx.uow.run(async (stores) => {
      expect((await stores.users.insert(aUser(now, "exists@example.com"))).ok).toBe(false);
      await stores.users.insert(other);
      return ok();
    });
    expect(await ctx.stores.users.findById(other.id)).not.toBeNull();
  });

  it("rolls back a rotation together with the rest of the work", async () => {
    const now = ctx.clock.now();
    const user = aUser(now);
    await ctx.stores.users.insert(user);
    const session = aSession(user.id, now);
    await ctx.stores.sessions.insert(session);
    const successor = session.rotate(newId("ses"), ctx.clock.advance({ days: 1 }));

    await ctx.uow.run(async (stores) => {
      expect(await stores.sessions.rotate(session, successor)).toBe(true);
      return fail(new NotFound("Session"));
    });

    expect((await ctx.stores.sessions.findById(session.id))!.rotatedAt).toBeNull();
    expect(await ctx.stores.sessions.findById(successor.id)).toBeNull();
  });

  it("keeps the rest of the work when a rotation inside it loses the race", async () => {
    const now = ctx.clock.now();
    const user = aUser(now);
    await ctx.stores.users.insert(user);
    const session = aSession(user.id, now);
    await ctx.stores.sessions.insert(session);
    const stale = (await ctx.stores.sessions.findById(session.id))!;
    const at = ctx.clock.advance({ days: 1 });
    await ctx.stores.sessions.rotate(session, session.rotate(newId("ses"), at));

    const event = anEvent(user.id, at, "session.rotated");
    const rotated = await ctx.uow.run(async (stores) => {
      await stores.events.record(event);
      return stores.sessions.rotate(stale, stale.rotate(newId("ses"), at));
    });
    expect(rotated).toBe(false);
    expect(await ctx.stores.events.listForUser(user.id, 10)).toEqual([event]);
  });

  it("runs many units of work side by side without losing a commit or leaking a rollback", async () => {
    const now = ctx.clock.now();
    const users = Array.from({ length: 16 }, (_, i) => aUser(now, `parallel${i}@example.com`));
    await Promise.all(
      users.map((user, i) =>
        ctx.uow.run(async (stores) => {
          await stores.users.insert(user);
          await stores.sessions.insert(aSession(user.id, now));
          return i % 2 === 0 ? ok() : fail(new NotFound("x"));
        }),
      ),
    );
    const kept = await Promise.all(users.map((u) => ctx.stores.users.findById(u.id)));
    expect(kept.map((u) => u !== null)).toEqual(users.map((_, i) => i % 2 === 0));
  });

  it("stays usable after a unit of work failed on a database error", async () => {
    const user = aUser(ctx.clock.now());
    await expect(
      ctx.uow.run(async (stores) => {
        await stores.users.insert(user);
        await stores.sessions.insert(aSession(newId("ghost"), ctx.clock.now()));
        return ok();
      }),
    ).rejects.toThrow();
    expect(await ctx.stores.users.findById(user.id)).toBeNull();
    const next = aUser(ctx.clock.now());
    await ctx.uow.run(async (stores) => stores.users.insert(next));
    expect(await ctx.stores.users.findById(next.id)).not.toBeNull();
  });
});
