import { fail, ok } from "../../../src/domain/shared/result";
import { Email } from "../../../src/domain/identity/email";
import type { PasswordHash } from "../../../src/domain/identity/password";
import { User } from "../../../src/domain/identity/user";
import { Session } from "../../../src/domain/session/session";
import { SessionPolicy } from "../../../src/domain/session/session-policy";
import { ControllableClock } from "../../../src/infrastructure/clock/controllable-clock";
import { createInMemoryStores } from "../../../src/infrastructure/persistence/in-memory";

const clock = new ControllableClock();
const policy = new SessionPolicy();
const newUser = (id: string, email = `${id}@example.com`) =>
  User.create({ id, email: Email.restore(email), passwordHash: "h" as PasswordHash }, clock.now());
const newSession = (id: string, userId: string) => Session.create({ id, userId, userAgent: null, ip: null }, policy, clock.now());

async function seeded() {
  const kit = createInMemoryStores({ clock });
  await kit.stores.users.insert(newUser("u1"));
  await kit.stores.sessions.insert(newSession("s1", "u1"));
  return kit;
}

function dump(kit: Awaited<ReturnType<typeof seeded>>) {
  return JSON.stringify(Object.fromEntries(Object.entries(kit.db.tables).map(([name, table]) => [name, [...table.entries()]])));
}

describe("InMemoryUnitOfWork", () => {
  it("commits every store's writes together", async () => {
    const kit = await seeded();
    const result = await kit.uow.run(async (stores) => {
      await stores.users.insert(newUser("u2"));
      await stores.sessions.revoke("s1", clock.now());
      await stores.outbox.enqueue({ to: "u2@example.com", template: "verify-email", params: { token: "t" } });
      return ok("done");
    });
    expect(result).toEqual(ok("done"));
    expect(await kit.stores.users.findById("u2")).not.toBeNull();
    expect((await kit.stores.sessions.findById("s1"))?.revokedAt).not.toBeNull();
    expect(kit.outbox.messages).toHaveLength(1);
  });

  it("rolls back every store when the work resolves a failed Result", async () => {
    const kit = await seeded();
    const before = dump(kit);
    const result = await kit.uow.run(async (stores) => {
      await stores.users.insert(newUser("u2"));
      const user = (await stores.users.findById("u1"))!;
      user.markEmailVerified(clock.now());
      await stores.users.save(user);
      await stores.sessions.revokeAllForUser("u1", clock.now());
      await stores.outbox.enqueue({ to: "u1@example.com", template: "password-changed", params: {} });
      await stores.events.record({ id: "e1", type: "sign-in.succeeded", userId: "u1", at: clock.now(), ip: null, userAgent: null, detail: {} });
      await stores.users.delete("u1");
      return fail("changed my mind");
    });
    expect(result).toEqual(fail("changed my mind"));
    expect(dump(kit)).toBe(before);
  });

  it("rolls back and rethrows when the work throws", async () => {
    const kit = await seeded();
    const before = dump(kit);
    await expect(
      kit.uow.run(async (stores) => {
        await stores.users.insert(newUser("u2"));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(dump(kit)).toBe(before);
  });

  it("keeps concurrent units of work apart: exactly the committed half survives", async () => {
    const kit = createInMemoryStores({ clock });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        kit.uow.run(async (stores) => {
          await stores.users.insert(newUser(`u${i}`));
          await new Promise((resolve) => setTimeout(resolve, 0));
          return i % 2 === 0 ? ok() : fail("rolled back");
        }),
      ),
    );
    expect([...kit.db.tables.users.keys()].sort()).toEqual(["u0", "u10", "u12", "u14", "u16", "u18", "u2", "u4", "u6", "u8"]);
  });

  it("keeps a rolled-back failure's rate-limit hit", async () => {
    const kit = await seeded();
    await kit.uow.run(async () => {
      await kit.rateLimits.hit("k", 60, clock.now());
      return fail("refused");
    });
    expect((await kit.rateLimits.peek("k", clock.now()))?.count).toBe(1);
  });
});
