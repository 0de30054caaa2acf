import { ok } from "../../../src/domain/shared/result";
import type { RetentionPass, RetentionReport } from "../../../src/application/retention";
import { RetentionScheduler } from "../../../src/infrastructure/retention/retention-scheduler";
import { createInMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe("RetentionScheduler", () => {
  it("runs passes on its interval once started, deleting what has died meanwhile", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ email: "ann@example.com" });
    await auth.useCases.signOut.execute({ token: ann.token });
    auth.clock.advance(1);
    const scheduler = new RetentionScheduler({ pass: auth.useCases.retentionPass, intervalMs: 20, firstDelayMs: 0, log: quiet });
    scheduler.start();
    try {
      await waitFor(() => !auth.db.tables.sessions.has(ann.session.id));
    } finally {
      await scheduler.stop();
    }
    expect(auth.db.tables.users.has(ann.user.id)).toBe(true);
  });

  it("never starts a second pass in the same process while one is running, and stop waits for it", async () => {
    let running = 0;
    let most = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pass: Pick<RetentionPass, "execute"> = {
      async execute() {
        running++;
        most = Math.max(most, running);
        await gate;
        running--;
        return ok({ ran: true, deleted: {}, total: 0, batches: 1 } as unknown as RetentionReport);
      },
    };
    const scheduler = new RetentionScheduler({ pass, intervalMs: 60_000, log: quiet });
    const first = scheduler.runOnce();
    expect(await scheduler.runOnce()).toBeNull();
    const stopped = scheduler.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    release();
    await stopped;
    expect((await first)?.ran).toBe(true);
    expect(most).toBe(1);
  });

  it("runs nothing with an interval of 0", async () => {
    let calls = 0;
    const scheduler = new RetentionScheduler({ pass: { execute: async () => (calls++, ok({} as RetentionReport)) }, intervalMs: 0, firstDelayMs: 0, log: quiet });
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await scheduler.stop();
    expect(calls).toBe(0);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
