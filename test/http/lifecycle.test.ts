/** Starting and stopping the production server: a bad configuration stops it at once; SIGTERM stops it cleanly. */
import { describeWithPostgres, startNextServer } from "../support/next-server";
import { PASSWORD, Tab, uniqueEmail } from "./http-client";

describeWithPostgres("server lifecycle", () => {
  it("refuses to start with a bad required value, printing one line that names it", async () => {
    await expect(startNextServer({ env: { AUTH_JWT_SECRET: "too-short" } })).rejects.toThrow(
      /Configuration error: AUTH_JWT_SECRET is too short .*: set it to at least 32 random bytes/,
    );
  }, 15 * 60_000);

  it("on SIGTERM finishes, closes the mail dispatcher and the database, and exits", async () => {
    const server = await startNextServer();
    const tab = new Tab(server.url);
    expect((await tab.post("/api/auth/sign-up", { email: uniqueEmail(), password: PASSWORD })).status).toBe(201);
    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(server.output()).toContain("[auth] stopped");
  }, 15 * 60_000);
});
