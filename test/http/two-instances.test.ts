/**
 * Two instances of the app on one PostgreSQL, as behind a load balancer: a session ended on one is
 * refused by the other on the very next request, even though the other has just served (and may have
 * cached) it.
 */
import { describeWithPostgres, startNextServer, type NextServer } from "../support/next-server";
import { PASSWORD, signUp, Tab } from "./http-client";

describeWithPostgres("two instances over HTTP", () => {
  let a: NextServer;
  let b: NextServer;
  beforeAll(async () => {
    a = await startNextServer();
    b = await startNextServer({ databaseUrl: a.databaseUrl, smtp: a.smtp });
  }, 15 * 60_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  /** The same cookie presented to either instance. */
  const on = (server: NextServer, token: string) => new Tab(server.url).get("/api/auth/session", { cookie: token });

  it("a session opened on one instance works on the other", async () => {
    const browser = new Tab(a.url);
    await signUp(browser);
    expect((await on(b, browser.session!)).status).toBe(200);
  });

  it.each([
    ["sign-out", async (tab: Tab) => tab.send("POST", "/api/auth/sign-out")],
    ["sign-out-all", async (tab: Tab) => tab.send("POST", "/api/auth/sign-out-all")],
    [
      "session delete",
      async (tab: Tab) => {
        const id = (await tab.get("/api/auth/session")).body.session.id;
        return tab.delete(`/api/auth/sessions/${id}`);
      },
    ],
    ["password change (from another session)", null],
  ] as const)("%s on A is refused by B on the very next request", async (_label, revoke) => {
    const browser = new Tab(a.url);
    const { email } = await signUp(browser);
    const token = browser.session!;
    // Warm B: it has just accepted this session.
    for (let i = 0; i < 3; i++) expect((await on(b, token)).status).toBe(200);

    if (revoke) {
      const response = await revoke(browser);
      expect(response.status).toBe(204);
    } else {
      const other = new Tab(a.url);
      await other.post("/api/auth/sign-in", { email, password: PASSWORD });
      expect((await other.post("/api/auth/change-password", { currentPassword: PASSWORD, newPassword: "a fresh long passphrase 3" })).status).toBe(200);
    }
    expect((await on(b, token)).status).toBe(401);
  });

  it("account deletion on B ends the session on A at once", async () => {
    const browser = new Tab(b.url);
    await signUp(browser);
    const token = browser.session!;
    expect((await on(a, token)).status).toBe(200);
    expect((await browser.delete("/api/account", { password: PASSWORD })).status).toBe(204);
    expect((await on(a, token)).status).toBe(401);
  });
});
