/** API keys over HTTP: a verified address is required, the secret is shown once, and keys are private. */
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import { linkToken, PASSWORD, signUp, Tab } from "./http-client";

describeWithPostgres("API keys over HTTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer();
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const tab = () => new Tab(server.url);

  /** A signed-in browser whose address is verified through the mailed link. */
  async function verifiedUser(): Promise<{ browser: Tab; userId: string }> {
    const browser = tab();
    const { email, userId } = await signUp(browser);
    const mail = await server.smtp.waitFor((m) => m.to.includes(email) && /confirm/i.test(m.subject), 10_000);
    const verified = await tab().post("/api/auth/verify-email", { token: linkToken(mail, server.url, "/verify-email") });
    expect(verified.status).toBe(200);
    return { browser, userId };
  }

  it("before verification: 403 EMAIL_NOT_VERIFIED and no key is created", async () => {
    const browser = tab();
    const { userId } = await signUp(browser);
    const response = await browser.post("/api/api-keys", { name: "ci" });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("EMAIL_NOT_VERIFIED");
    expect(await query(server.databaseUrl, "SELECT 1 FROM api_keys WHERE user_id = $1", [userId])).toHaveLength(0);
  });

  it("creates a key: 201 {apiKey: {id, name, createdAt}, secret}; the secret is stored only hashed and never shown again", async () => {
    const { browser, userId } = await verifiedUser();
    const created = await browser.post("/api/api-keys", { name: "  deploy bot  " });
    expect(created.status).toBe(201);
    expect(created.headers["cache-control"]).toBe("no-store");
    expect(created.body.apiKey).toMatchObject({ id: expect.any(String), name: "deploy bot", createdAt: expect.any(String) });
    const secret: string = created.body.secret;
    expect(secret.length).toBeGreaterThanOrEqual(40);

    const rows = await query(server.databaseUrl, "SELECT * FROM api_keys WHERE user_id = $1", [userId]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);

    const listed = await browser.get("/api/api-keys");
    expect(listed.status).toBe(200);
    expect(listed.headers["cache-control"]).toBe("no-store");
    expect(listed.body.apiKeys).toEqual([expect.objectContaining({ id: created.body.apiKey.id, name: "deploy bot" })]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(Object.keys(listed.body.apiKeys[0])).not.toEqual(expect.arrayContaining(["secret", "secretHash"]));
  });

  it("lists newest first and only the user's own keys", async () => {
    const { browser } = await verifiedUser();
    const other = await verifiedUser();
    await browser.post("/api/api-keys", { name: "first" });
    await browser.post("/api/api-keys", { name: "second" });
    await other.browser.post("/api/api-keys", { name: "someone else's" });
    const listed = await browser.get("/api/api-keys");
    expect(listed.body.apiKeys.map((key: { name: string }) => key.name)).toEqual(["second", "first"]);
  });

  it("deletes own keys (204); another user's key id answers 404 and the key survives", async () => {
    const owner = await verifiedUser();
    const intruder = await verifiedUser();
    const key = (await owner.browser.post("/api/api-keys", { name: "prod" })).body.apiKey;

    const foreign = await intruder.browser.delete(`/api/api-keys/${key.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("NOT_FOUND");
    expect((await owner.browser.get("/api/api-keys")).body.apiKeys).toHaveLength(1);

    const deleted = await owner.browser.delete(`/api/api-keys/${key.id}`);
    expect(deleted.status).toBe(204);
    expect((await owner.browser.get("/api/api-keys")).body.apiKeys).toHaveLength(0);
    expect((await owner.browser.delete(`/api/api-keys/${key.id}`)).status).toBe(404);
    expect((await owner.browser.delete("/api/api-keys/does-not-exist")).status).toBe(404);
  });

  it.each([
    ["an empty name", { name: "" }],
    ["a blank name", { name: "   " }],
    ["a name over 100 characters", { name: "k".repeat(101) }],
    ["a number", { name: 7 }],
    ["no name", {}],
    ["an extra field", { name: "ok", scopes: ["admin"] }],
  ])("refuses %s with 400 VALIDATION_FAILED", async (_label, body) => {
    const { browser } = await verifiedUser();
    const response = await browser.post("/api/api-keys", body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect((await browser.get("/api/api-keys")).body.apiKeys).toHaveLength(0);
  });

  it("needs a session for every key route (401)", async () => {
    expect((await tab().get("/api/api-keys")).status).toBe(401);
    expect((await tab().post("/api/api-keys", { name: "x" })).status).toBe(401);
    expect((await tab().delete("/api/api-keys/anything")).status).toBe(401);
  });

  it("deleting the account deletes its keys", async () => {
    const { browser, userId } = await verifiedUser();
    await browser.post("/api/api-keys", { name: "gone soon" });
    expect((await browser.delete("/api/account", { password: PASSWORD })).status).toBe(204);
    expect(await query(server.databaseUrl, "SELECT 1 FROM api_keys WHERE user_id = $1", [userId])).toHaveLength(0);
  });
});
