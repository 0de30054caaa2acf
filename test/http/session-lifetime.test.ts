/**
 * Session limits in real time, with the shortest settings the configuration allows (60 s):
 * rotation to a new id with a grace for requests in flight, the absolute lifetime that rotation never
 * extends, and the idle timeout. About two minutes of waiting, spent once for all tests of the file.
 */
import { describeWithPostgres, startNextServer, type NextServer } from "../support/next-server";
import { PASSWORD, sessionCookieOf, Tab, uniqueEmail } from "./http-client";

const ROTATE_AFTER = 60;
const GRACE = 30; // the built-in rotation grace
const MAX_AGE = 100;
const IDLE = 60;

const sleepUntil = async (at: number) => {
  const wait = at - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
};

describeWithPostgres("session lifetime over HTTP", () => {
  let rotating: NextServer;
  let idling: NextServer;
  const users: Record<string, Tab> = {};
  const firstSessionId: Record<string, string> = {};
  /**
   * When each user's session was last touched at sign-up (ms). Waits for an age to pass count from
   * here, not from the server's start: under load the sign-ups before it take seconds each.
   */
  const openedAt: Record<string, number> = {};
  /** When the rotation test's successor was issued (ms). */
  let rotatedAt = 0;

  async function signedIn(server: NextServer, name: string): Promise<Tab> {
    const tab = new Tab(server.url);
    const response = await tab.post("/api/auth/sign-up", { email: uniqueEmail(name), password: PASSWORD });
    expect(response.status).toBe(201);
    users[name] = tab;
    firstSessionId[name] = (await tab.get("/api/auth/session")).body.session.id;
    openedAt[name] = Date.now();
    return tab;
  }

  beforeAll(async () => {
    [rotating, idling] = await Promise.all([
      startNextServer({ env: { SESSION_ROTATE_AFTER: String(ROTATE_AFTER), SESSION_MAX_AGE: String(MAX_AGE) } }),
      startNextServer({ env: { SESSION_IDLE_TIMEOUT: String(IDLE) } }),
    ]);
    for (const name of ["rotation", "concurrent", "signOutNew", "signOutOld"]) await signedIn(rotating, name);
    await signedIn(idling, "idle");
  }, 15 * 60_000);

  afterAll(async () => {
    await Promise.all([rotating?.stop(), idling?.stop()]);
  });

  it("caps the cookie's Max-Age at the session's absolute lifetime", async () => {
    const tab = new Tab(rotating.url);
    const response = await tab.post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD });
    const maxAge = Number(sessionCookieOf(response)!.attributes.get("max-age"));
    expect(maxAge).toBeGreaterThan(MAX_AGE - 5);
    expect(maxAge).toBeLessThanOrEqual(MAX_AGE);
  });

  it("keeps the cookie as it is before the rotation age", async () => {
    const response = await users.rotation!.get("/api/auth/session");
    expect(response.status).toBe(200);
    expect(sessionCookieOf(response)).toBeUndefined();
  });

  let oldToken = "";
  let newToken = "";

  it(
    "after the rotation age, the next request gets a new session id and a new cookie; the old one still works within the grace",
    async () => {
      await sleepUntil(openedAt.rotation! + (ROTATE_AFTER + 1) * 1000);
      const tab = users.rotation!;
      oldToken = tab.session!;
      const response = await tab.get("/api/auth/session");
      rotatedAt = Date.now();
      expect(response.status).toBe(200);
      const cookie = sessionCookieOf(response)!;
      expect(cookie).toBeDefined();
      expect(cookie.value).not.toBe(oldToken);
      expect(cookie.attributes.has("httponly")).toBe(true);
      expect(response.headers["cache-control"]).toBe("no-store");
      // The absolute expiry is kept, not restarted.
      expect(Number(cookie.attributes.get("max-age"))).toBeLessThanOrEqual(MAX_AGE - ROTATE_AFTER);
      newToken = cookie.value;
      expect(response.body.session.id).not.toBe(firstSessionId.rotation);

      // A request in flight with the old cookie still gets through, and is handed the successor.
      const late = await new Tab(rotating.url).get("/api/auth/session", { cookie: oldToken });
      expect(late.status).toBe(200);
      expect(late.body.session.id).toBe(response.body.session.id);

      const sessions = await new Tab(rotating.url).get("/api/auth/sessions", { cookie: newToken });
      expect(sessions.body.sessions).toHaveLength(1);
      expect(sessions.body.sessions[0].id).toBe(response.body.session.id);
    },
    3 * 60_000,
  );

  it(
    "concurrent requests at rotation neither sign the user out nor fork the session",
    async () => {
      await sleepUntil(openedAt.concurrent! + (ROTATE_AFTER + 1) * 1000);
      const token = users.concurrent!.session!;
      const responses = await Promise.all(Array.from({ length: 6 }, () => new Tab(rotating.url).get("/api/auth/session", { cookie: token })));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const ids = new Set(responses.map((r) => r.body.session.id as string));
      expect(ids.size).toBe(1);
      const successor = responses.map((r) => sessionCookieOf(r)?.value).find(Boolean)!;
      const sessions = await new Tab(rotating.url).get("/api/auth/sessions", { cookie: successor });
      expect(sessions.body.sessions).toHaveLength(1);
    },
    3 * 60_000,
  );

  it(
    "sign-out with the new cookie also ends the predecessor still inside its grace",
    async () => {
      await sleepUntil(openedAt.signOutNew! + (ROTATE_AFTER + 1) * 1000);
      const tab = users.signOutNew!;
      const old = tab.session!;
      expect((await tab.get("/api/auth/session")).status).toBe(200);
      expect(tab.session).not.toBe(old);
      expect((await tab.send("POST", "/api/auth/sign-out")).status).toBe(204);
      expect((await new Tab(rotating.url).get("/api/auth/session", { cookie: old })).status).toBe(401);
    },
    3 * 60_000,
  );

  it(
    "sign-out with the old cookie inside the grace ends the successor too",
    async () => {
      await sleepUntil(openedAt.signOutOld! + (ROTATE_AFTER + 1) * 1000);
      const tab = users.signOutOld!;
      const old = tab.session!;
      expect((await tab.get("/api/auth/session")).status).toBe(200);
      const successor = tab.session!;
      expect(successor).not.toBe(old);
      expect((await new Tab(rotating.url).send("POST", "/api/auth/sign-out", { cookie: old })).status).toBe(204);
      expect((await new Tab(rotating.url).get("/api/auth/session", { cookie: successor })).status).toBe(401);
    },
    3 * 60_000,
  );

  it(
    "refuses an idle session once the idle timeout has passed",
    async () => {
      await sleepUntil(openedAt.idle! + (IDLE + 2) * 1000);
      const response = await users.idle!.get("/api/auth/session");
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe("UNAUTHENTICATED");
    },
    3 * 60_000,
  );

  it(
    "after the grace, the old cookie is refused while the new one works",
    async () => {
      expect(newToken).not.toBe("");
      // The successor was issued a little after the rotation age; wait out the grace from then.
      await sleepUntil(rotatedAt + (GRACE + 1) * 1000);
      expect((await new Tab(rotating.url).get("/api/auth/session", { cookie: oldToken })).status).toBe(401);
      expect((await new Tab(rotating.url).get("/api/auth/session", { cookie: newToken })).status).toBe(200);
    },
    3 * 60_000,
  );

  it(
    "ends the session at its absolute lifetime, rotation and activity notwithstanding",
    async () => {
      await sleepUntil(openedAt.rotation! + (MAX_AGE + 1) * 1000);
      const response = await new Tab(rotating.url).get("/api/auth/session", { cookie: newToken });
      expect(response.status).toBe(401);
    },
    3 * 60_000,
  );
});
