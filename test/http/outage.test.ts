/** With the database unreachable, the API answers a clean 503 JSON, never a stack or a hang. */
import { describeWithPostgres, freePort, startNextServer, type NextServer } from "../support/next-server";
import { PASSWORD, Tab } from "./http-client";

describeWithPostgres("database outage over HTTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    // A port nothing listens on: every connection attempt is refused.
    const closed = await freePort();
    server = await startNextServer({ databaseUrl: `postgres://postgres@127.0.0.1:${closed}/nowhere` });
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it.each([
    ["POST", "/api/auth/sign-in", { email: "someone@example.com", password: PASSWORD }],
    ["POST", "/api/auth/sign-up", { email: "someone@example.com", password: PASSWORD }],
    ["POST", "/api/auth/password-reset", { email: "someone@example.com" }],
  ] as const)("%s %s → 503 SERVICE_UNAVAILABLE with Retry-After", async (method, path, body) => {
    const started = Date.now();
    const response = await new Tab(server.url).send(method, path, { body });
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ error: { code: "SERVICE_UNAVAILABLE", message: expect.any(String) } });
    expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("a signed-in request (with some cookie) also answers 503, not 401 or 500", async () => {
    const response = await new Tab(server.url).get("/api/auth/session", { cookie: "eyJhbGciOiJIUzI1NiJ9.e30.c2ln" });
    expect(response.status).toBe(503);
  });

  it("checks that need no database still answer: 403, 415 and 404", async () => {
    expect((await new Tab(server.url).post("/api/auth/sign-in", { email: "a@b.co", password: PASSWORD }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await new Tab(server.url).send("POST", "/api/auth/sign-in", { raw: "{}", contentType: "text/plain" })).status).toBe(415);
    expect((await new Tab(server.url).get("/api/nope")).status).toBe(404);
  });
});
