/**
 * Two `next start` instances of one deployment on one PostgreSQL (and, in a second variant, with
 * REDIS_URL set so fan-out and rate-limit counters go through Redis): what one instance changes, the
 * other honours on its very next request, even though both cache sessions.
 */
import { describeWithPostgres, postgresReachable, query, startNextServer, type NextServer } from "../support/next-server";
import { redisAvailable, TEST_REDIS_URL } from "../support/redis";
import { PASSWORD, Tab, signUp, uniqueEmail } from "../http/http-client";

/** Real limits (scale 1) on what a test here can trip, and room for everything else it does from 127.0.0.1. */
const LIMITS = {
  RATE_LIMIT_SCALE: "1",
  RATE_LIMIT_SIGN_IN_PER_IP: "100000",
  RATE_LIMIT_SIGN_UP_PER_IP: "100000",
  RATE_LIMIT_EMAIL_PER_IP: "100000",
};

const variants: Array<[string, Record<string, string>]> = [["PostgreSQL only", {}]];
// Under CI=true an unreachable Redis registers a failing test rather than skipping the variant.
if (postgresReachable() && redisAvailable()) variants.push(["with REDIS_URL", { REDIS_URL: TEST_REDIS_URL }]);
for (const [name, extraEnv] of variants) registerVariant(name, extraEnv);

function registerVariant(name: string, extraEnv: Record<string, string>): void {
  describeWithPostgres(`two instances, one database (${name})`, () => {
    let a: NextServer;
    let b: NextServer;

    beforeAll(async () => {
      a = await startNextServer({ env: { ...LIMITS, ...extraEnv } });
      b = await startNextServer({ env: { ...LIMITS, ...extraEnv }, databaseUrl: a.databaseUrl, smtp: a.smtp });
    }, 15 * 60_000);

    afterAll(async () => {
      // B first: A owns the database and the SMTP capture.
      await b?.stop();
      await a?.stop();
    }, 60_000);

    /** The same browser profile talking to the other instance (e.g. the load balancer switched). */
    function onB(tab: Tab): Tab {
      const other = new Tab(b.url);
      other.session = tab.session;
      return other;
    }

    it("refuses on B, on its very next request, a session signed out everywhere on A", async () => {
      const delays: number[] = [];
      for (let round = 0; round < 5; round++) {
        const tabA = new Tab(a.url);
        await signUp(tabA);
        const tabB = onB(tabA);
        // Twice, so B answers the second from its cache.
        expect((await tabB.get("/api/auth/session")).status).toBe(200);
        expect((await tabB.get("/api/auth/session")).status).toBe(200);
        expect((await tabB.get("/dashboard")).status).toBe(200);

        expect((await tabA.post("/api/auth/sign-out-all")).status).toBe(204);
        const returned = performance.now();
        const next = await tabB.get("/api/auth/session");
        delays.push(performance.now() - returned);
        expect(next.status).toBe(401);
        expect(next.body.error.code).toBe("UNAUTHENTICATED");
        const page = await onB(tabA).send("GET", "/dashboard", { cookie: tabB.session ?? undefined });
        expect(page.status).toBe(307);
        expect(page.headers.location).toMatch(/\/sign-in\?next=%2Fdashboard$/);
      }
      console.log(`[${name}] sign-out-all on A → B's next request refused ${delays.map((d) => d.toFixed(1)).join(", ")} ms after A answered`);
    });

    it("refuses on B a single session signed out on A, and one deleted from the session list on A", async () => {
      const first = new Tab(a.url);
      const { email } = await signUp(first);
      const second = new Tab(a.url);
      expect((await second.post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(200);
      const firstOnB = onB(first);
      const secondOnB = onB(second);
      expect((await firstOnB.get("/api/auth/session")).status).toBe(200);
      const secondSession = await secondOnB.get("/api/auth/session");
      expect(secondSession.status).toBe(200);

      expect((await first.post("/api/auth/sign-out")).status).toBe(204);
      expect((await firstOnB.get("/api/auth/session")).status).toBe(401);
      expect((await secondOnB.get("/api/auth/session")).status).toBe(200);

      // The user removes the second device from the list, still on A.
      const third = new Tab(a.url);
      expect((await third.post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(200);
      expect((await third.send("DELETE", `/api/auth/sessions/${secondSession.body.session.id}`)).status).toBe(204);
      expect((await secondOnB.get("/api/auth/session")).status).toBe(401);
      expect((await onB(third).get("/api/auth/session")).status).toBe(200);
    });

    it("shares rate-limit counts: failures spread over A and B add up, and both then answer 429", async () => {
      const tabA = new Tab(a.url);
      const tabB = new Tab(b.url);
      const { email } = await signUp(new Tab(a.url));
      // Five failures are free and the sixth is let through; after it, a wait applies on every instance.
      for (let i = 0; i < 6; i++) {
        const tab = i % 2 === 0 ? tabA : tabB;
        const response = await tab.post("/api/auth/sign-in", { email, password: `wrong password ${i}` });
        expect(response.status).toBe(401);
      }
      for (const tab of [tabB, tabA]) {
        const refused = await tab.post("/api/auth/sign-in", { email, password: PASSWORD });
        expect(refused.status).toBe(429);
        expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
        expect(refused.body.error.code).toBe("RATE_LIMITED");
      }
    });

    it("accepts on B a session rotated on A, and hands B's holder of the old cookie the same successor", async () => {
      const tabA = new Tab(a.url);
      await signUp(tabA);
      const oldToken = tabA.session!;
      const warm = await onB(tabA).get("/api/auth/session");
      expect(warm.status).toBe(200);
      const oldId = warm.body.session.id as string;

      // Make the session due for rotation. Written behind both instances' backs: B keeps its cached
      // copy (not yet due); only A's rotation, announced to B, may change B's answer.
      await query(a.databaseUrl, `UPDATE sessions SET created_at = created_at - interval '25 hours' WHERE id = $1`, [oldId]);

      const rotated = await tabA.get("/api/auth/session");
      expect(rotated.status).toBe(200);
      const successorId = rotated.body.session.id as string;
      expect(successorId).not.toBe(oldId);
      expect(tabA.session).not.toBe(oldToken);

      const newOnB = onB(tabA);
      const withNew = await newOnB.get("/api/auth/session");
      expect(withNew.status).toBe(200);
      expect(withNew.body.session.id).toBe(successorId);

      const oldOnB = new Tab(b.url);
      oldOnB.session = oldToken;
      const withOld = await oldOnB.get("/api/auth/session");
      expect(withOld.status).toBe(200);
      expect(withOld.body.session.id).toBe(successorId);
      expect(oldOnB.session).not.toBe(oldToken); // B handed out the successor's cookie

      const [{ n }] = await query<{ n: number }>(a.databaseUrl, `SELECT count(*)::int AS n FROM sessions WHERE user_id = (SELECT user_id FROM sessions WHERE id = $1)`, [oldId]);
      expect(n).toBe(2); // no fork: one predecessor, one successor
    });

    it("refuses on B every other session after a password change on A, and accepts the changed-to one", async () => {
      const first = new Tab(a.url);
      const { email } = await signUp(first, uniqueEmail());
      const other = new Tab(a.url);
      expect((await other.post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(200);
      const otherOnB = onB(other);
      expect((await otherOnB.get("/api/auth/session")).status).toBe(200);

      const changed = await first.post("/api/auth/change-password", { currentPassword: PASSWORD, newPassword: "an entirely new passphrase 42" });
      expect(changed.status).toBe(200);
      expect((await otherOnB.get("/api/auth/session")).status).toBe(401);
      expect((await onB(first).get("/api/auth/session")).status).toBe(200);
    });
  });
}
