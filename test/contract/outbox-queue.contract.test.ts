import { NotFound } from "../../src/domain/shared/domain-error";
import { fail } from "../../src/domain/shared/result";
import type { OutgoingMail } from "../../src/application/shared/ports/outbox.port";
import { OutboxCipher, TypeOrmOutbox, deriveOutboxKey } from "../../src/infrastructure/persistence/typeorm";
import { seconds } from "./support/fixtures";
import { eachAdapter, persistenceAdapters, usePersistence, type Adapter, type PersistenceContext } from "./support/persistence-adapters";

const adapters = persistenceAdapters();

function mail(n: number, token = `tok-${n}-${"x".repeat(40)}`): OutgoingMail {
  return { to: `user${n}@example.com`, template: "verify-email", params: { token } };
}

describe.each(eachAdapter(adapters))("OutboxQueue on %s", (_name, adapter) => {
  const ctx = usePersistence(adapter);

  it("keeps an enqueued mail pending, with its parameters, stamped by the clock", async () => {
    const enqueuedAt = ctx.clock.now();
    await ctx.stores.outbox.enqueue({ to: "ann@example.com", template: "password-reset", params: { token: "t0k3n" } });
    const pending = await ctx.outbox.pending();
    expect(pending).toEqual([
      {
        id: expect.any(String),
        mail: { to: "ann@example.com", template: "password-reset", params: { token: "t0k3n" } },
        attempts: 0,
        createdAt: enqueuedAt,
      },
    ]);
  });

  it("forgets a mail enqueued in a unit of work that rolled back", async () => {
    await ctx.uow.run(async (stores) => {
      await stores.outbox.enqueue(mail(1));
      return fail(new NotFound("x"));
    });
    await expect(
      ctx.uow.run(async (stores) => {
        await stores.outbox.enqueue(mail(2));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await ctx.outbox.pending()).toEqual([]);
    expect(await ctx.outbox.claimDue(ctx.clock.now(), 10, 60)).toEqual([]);
  });

  it("claims due mails oldest first, up to the limit, and counts the attempt", async () => {
    for (let n = 1; n <= 3; n++) {
      await ctx.stores.outbox.enqueue(mail(n));
      ctx.clock.advance(1);
    }
    const claimed = await ctx.outbox.claimDue(ctx.clock.now(), 2, 60);
    expect(claimed.map((q) => q.mail.to)).toEqual(["user1@example.com", "user2@example.com"]);
    expect(claimed.map((q) => q.attempts)).toEqual([1, 1]);
    expect(claimed[0]!.mail.params).toEqual(mail(1).params);
  });

  it("does not hand a leased mail out again until its lease lapses", async () => {
    await ctx.stores.outbox.enqueue(mail(1));
    const now = ctx.clock.now();
    expect(await ctx.outbox.claimDue(now, 10, 60)).toHaveLength(1);
    expect(await ctx.outbox.claimDue(seconds(now, 59), 10, 60)).toEqual([]);

    // The dispatcher died mid-send: the mail is claimed again once the lease is over.
    const again = await ctx.outbox.claimDue(seconds(now, 60), 10, 60);
    expect(again.map((q) => q.attempts)).toEqual([2]);
    expect(again[0]!.mail).toEqual(mail(1));
  });

  it("retries a failed mail at its retry time, not before", async () => {
    await ctx.stores.outbox.enqueue(mail(1));
    const now = ctx.clock.now();
    const [claimed] = await ctx.outbox.claimDue(now, 10, 60);
    const retryAt = seconds(now, 300);
    await ctx.outbox.markFailed(claimed!.id, "SMTP 451 try later", retryAt);

    expect(await ctx.outbox.claimDue(seconds(now, 299), 10, 60)).toEqual([]);
    const retried = await ctx.outbox.claimDue(retryAt, 10, 60);
    expect(retried.map((q) => [q.id, q.attempts])).toEqual([[claimed!.id, 2]]);
    expect(retried[0]!.mail.params).toEqual(mail(1).params);
  });

  it("never sends a delivered mail again and erases its parameters", async () => {
    await ctx.stores.outbox.enqueue(mail(1));
    await ctx.stores.outbox.enqueue(mail(2));
    const now = ctx.clock.now();
    const [first] = await ctx.outbox.claimDue(now, 1, 60);
    await ctx.outbox.markSent(first!.id, now);
    // A late failure report for a delivered mail changes nothing.
    await ctx.outbox.markFailed(first!.id, "late", now);

    expect((await ctx.outbox.pending()).map((q) => q.mail.to)).toEqual(["user2@example.com"]);
    const later = await ctx.outbox.claimDue(seconds(now, 3600), 10, 60);
    expect(later.map((q) => q.mail.to)).toEqual(["user2@example.com"]);
  });

  it("gives every due mail to exactly one of several dispatchers claiming at once", async () => {
    for (let n = 1; n <= 12; n++) await ctx.stores.outbox.enqueue(mail(n));
    const now = ctx.clock.now();
    const seen: string[] = [];
    // Several rounds of four dispatchers racing, until the queue is drained.
    for (let round = 0; round < 12 && seen.length < 12; round++) {
      const batches = await Promise.all(Array.from({ length: 4 }, () => ctx.outbox.claimDue(now, 2, 600)));
      for (const batch of batches) seen.push(...batch.map((q) => q.mail.to));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `user${i + 1}@example.com`).sort());
  });

  it("ends a mail as failed for good: never claimed again, out of the depth, its parameters erased", async () => {
    await ctx.stores.outbox.enqueue(mail(1));
    ctx.clock.advance(10);
    await ctx.stores.outbox.enqueue(mail(2));
    ctx.clock.advance(5);
    expect(await ctx.outbox.stats(ctx.clock.now())).toEqual({ depth: 2, oldestAgeSeconds: 15 });
    const [first] = await ctx.outbox.claimDue(ctx.clock.now(), 1, 60);
    await ctx.outbox.markDead(first!.id, "550 5.1.1 recipient rejected", ctx.clock.now());
    ctx.clock.advance(86400);
    expect((await ctx.outbox.claimDue(ctx.clock.now(), 10, 60)).map((q) => q.mail.to)).toEqual(["user2@example.com"]);
    expect((await ctx.outbox.pending()).map((q) => q.mail.to)).toEqual(["user2@example.com"]);
    expect(await ctx.outbox.stats(ctx.clock.now())).toEqual({ depth: 1, oldestAgeSeconds: 86405 });
  });

  it("claims nothing with a limit of zero", async () => {
    await ctx.stores.outbox.enqueue(mail(1));
    expect(await ctx.outbox.claimDue(ctx.clock.now(), 0, 60)).toEqual([]);
    expect(await ctx.outbox.pending()).toHaveLength(1);
  });
});

const sqlAdapters = adapters.filter((a): a is Adapter<PersistenceContext> => a.sql);

describe.each(eachAdapter(sqlAdapters))("TypeOrmOutbox at rest on %s", (_name, adapter) => {
  const ctx = usePersistence(adapter);
  const token = "SECRET-TOKEN-abcdefghijklmnopqrstuvwxyz0123456789";

  async function rawRows(): Promise<Array<{ id: string; params_sealed: Buffer | null; recipient: string }>> {
    return ctx.dataSource!.query(`SELECT id, params_sealed, recipient FROM outbox ORDER BY seq`);
  }

  it("stores the parameters only encrypted, and erases them once the mail is sent", async () => {
    await ctx.stores.outbox.enqueue(mail(1, token));
    const [row] = await rawRows();
    expect(row!.params_sealed).toBeInstanceOf(Buffer);
    expect(row!.params_sealed!.toString("latin1")).not.toContain(token);
    expect(row!.params_sealed!.toString("latin1")).not.toContain("SECRET");
    const dump = JSON.stringify(await ctx.dataSource!.query(`SELECT * FROM outbox`));
    expect(dump).not.toContain(token);

    const [claimed] = await ctx.outbox.claimDue(ctx.clock.now(), 1, 60);
    expect(claimed!.mail.params.token).toBe(token);
    await ctx.outbox.markSent(claimed!.id, ctx.clock.now());
    expect((await rawRows())[0]!.params_sealed).toBeNull();
  });

  it("parks a mail whose parameters no longer open (the secret changed) instead of blocking the queue", async () => {
    const foreign = new TypeOrmOutbox(
      ctx.dataSource!.manager,
      new OutboxCipher(deriveOutboxKey("a-different-secret-of-at-least-32-bytes!!")),
      ctx.clock,
    );
    await foreign.enqueue(mail(1));
    await ctx.stores.outbox.enqueue(mail(2));

    const claimed = await ctx.outbox.claimDue(ctx.clock.now(), 10, 60);
    expect(claimed.map((q) => q.mail.to)).toEqual(["user2@example.com"]);
    await ctx.outbox.markSent(claimed[0]!.id, ctx.clock.now());
    // Parked for a day, not retried on every dispatcher tick.
    expect(await ctx.outbox.claimDue(seconds(ctx.clock.now(), 3600), 10, 60)).toEqual([]);
    const [parked] = await ctx.dataSource!.query(`SELECT last_error FROM outbox WHERE recipient = 'user1@example.com'`);
    expect(parked.last_error).toMatch(/decrypt/);
  });

  it("does not open parameters sealed for another row", async () => {
    await ctx.stores.outbox.enqueue(mail(1, "token-one"));
    await ctx.stores.outbox.enqueue(mail(2, "token-two"));
    const [one, two] = await rawRows();
    await ctx.dataSource!.query(`UPDATE outbox SET params_sealed = $1 WHERE id = $2`, [one!.params_sealed, two!.id]);
    const claimed = await ctx.outbox.claimDue(ctx.clock.now(), 10, 60);
    expect(claimed.map((q) => q.mail.params)).toEqual([{ token: "token-one" }]);
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => new OutboxCipher(Buffer.alloc(16))).toThrow(RangeError);
    expect(() => deriveOutboxKey("short")).toThrow(RangeError);
  });
});
