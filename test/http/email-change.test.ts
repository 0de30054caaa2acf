/** Change of e-mail over HTTP: fresh session, link to the new address, notice to the old one, single use. */
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import { linkToken, PASSWORD, signUp, Tab, uniqueEmail } from "./http-client";

describeWithPostgres("Change of e-mail over HTTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer();
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const tab = () => new Tab(server.url);

  it("POST /api/account/email answers 202, mails the new address a link and the old one a notice; the address moves on confirmation", async () => {
    const browser = tab();
    const { email, userId } = await signUp(browser);
    const newEmail = uniqueEmail("moved");
    const requested = await browser.post("/api/account/email", { newEmail });
    expect(requested.status).toBe(202);

    const notice = await server.smtp.waitFor((m) => m.to.includes(email) && /change of your e-mail/i.test(m.subject), 10_000);
    expect(notice.text).toContain(newEmail);
    const link = await server.smtp.waitFor((m) => m.to.includes(newEmail) && /confirm your new e-mail/i.test(m.subject), 10_000);
    const token = linkToken(link, server.url, "/confirm-email");
    expect((await query(server.databaseUrl, "SELECT email FROM users WHERE id = $1", [userId]))[0]).toEqual({ email });
    // A GET of the link spends nothing: the token moves into a cookie and the page asks for a POST.
    const opened = await tab().get(`/confirm-email?token=${token}`);
    expect(opened.status).toBe(303);

    const confirmed = await tab().post("/api/account/email/confirm", { token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.user).toMatchObject({ id: userId, email: newEmail, emailVerified: true });
    expect((await tab().post("/api/account/email/confirm", { token })).body.error.code).toBe("INVALID_TOKEN");

    expect((await tab().post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(401);
    expect((await tab().post("/api/auth/sign-in", { email: newEmail, password: PASSWORD })).status).toBe(200);
    // The session that asked stays signed in, now under the new address.
    expect((await browser.get("/api/auth/session")).body.user.email).toBe(newEmail);
  });

  it("gives one of two concurrent confirmations of the same link the change, the other 400 INVALID_TOKEN", async () => {
    const browser = tab();
    await signUp(browser);
    const newEmail = uniqueEmail("race");
    expect((await browser.post("/api/account/email", { newEmail })).status).toBe(202);
    const link = await server.smtp.waitFor((m) => m.to.includes(newEmail), 10_000);
    const token = linkToken(link, server.url, "/confirm-email");
    const answers = await Promise.all([tab().post("/api/account/email/confirm", { token }), tab().post("/api/account/email/confirm", { token })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
  });

  it("answers bad input 400 with the field, a taken address 409 EMAIL_TAKEN, no session 401, and a made-up link 400", async () => {
    const browser = tab();
    const { email } = await signUp(browser);
    const other = tab();
    const taken = (await signUp(other)).email;

    const malformed = await browser.post("/api/account/email", { newEmail: "not an address" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.fields).toHaveProperty("newEmail");
    expect((await browser.post("/api/account/email", {})).status).toBe(400);
    expect((await browser.post("/api/account/email", { newEmail: email.toUpperCase() })).body.error.code).toBe("VALIDATION_FAILED");
    const conflict = await browser.post("/api/account/email", { newEmail: taken });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe("EMAIL_TAKEN");
    expect((await tab().post("/api/account/email", { newEmail: uniqueEmail() })).status).toBe(401);
    expect((await tab().post("/api/account/email/confirm", { token: "x".repeat(43) })).body.error.code).toBe("INVALID_TOKEN");
    expect((await tab().post("/api/account/email/confirm", { token: 5 })).status).toBe(400);
  });
});
