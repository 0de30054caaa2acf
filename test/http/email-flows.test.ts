/**
 * E-mail verification and password reset end to end: the mail goes through the outbox to a real SMTP
 * server (captured in this process), the test reads the link from it, and confirms with a POST, as
 * the page would.
 */
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import type { CapturedMail } from "../support/smtp-capture";
import { linkToken, PASSWORD, signUp, Tab, uniqueEmail } from "./http-client";

const NEW_PASSWORD = "an entirely new passphrase 9";

describeWithPostgres("e-mail flows over HTTP with real SMTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer();
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const tab = () => new Tab(server.url);
  const mailTo = (address: string, subject: RegExp, after = 0): Promise<CapturedMail> =>
    server.smtp.waitFor((mail) => mail.to.includes(address) && subject.test(mail.subject) && server.smtp.messages.indexOf(mail) >= after, 10_000);
  const mailsTo = (address: string, subject: RegExp) => server.smtp.messages.filter((mail) => mail.to.includes(address) && subject.test(mail.subject));

  describe("verification", () => {
    it("sign-up mails a link built from APP_URL; its token verifies the address once", async () => {
      const browser = tab();
      const { email } = await signUp(browser);
      const mail = await mailTo(email, /confirm/i);
      expect(mail.from).toBe("no-reply@auth.test");
      const token = linkToken(mail, server.url, "/verify-email");
      expect(token.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url

      // Only its hash is stored.
      const stored = await query<{ token_hash: string }>(server.databaseUrl, "SELECT token_hash FROM verification_tokens");
      expect(stored.some((row) => row.token_hash === token)).toBe(false);

      const verified = await tab().post("/api/auth/verify-email", { token });
      expect(verified.status).toBe(200);
      expect(verified.headers["cache-control"]).toBe("no-store");
      expect(verified.body.user).toMatchObject({ email, emailVerified: true });
      expect((await browser.get("/api/auth/session")).body.user.emailVerified).toBe(true);

      const again = await tab().post("/api/auth/verify-email", { token });
      expect(again.status).toBe(400);
      expect(again.body.error.code).toBe("INVALID_TOKEN");
    });

    it("a GET of the link does not consume the token", async () => {
      const { email } = await signUp(tab());
      const token = linkToken(await mailTo(email, /confirm/i), server.url, "/verify-email");
      const page = await fetch(`${server.url}/verify-email?token=${token}`, { redirect: "manual" });
      await page.arrayBuffer();
      expect(page.status).toBeLessThan(500);
      expect((await tab().post("/api/auth/verify-email", { token })).status).toBe(200);
    });

    it("a bad or unknown token → 400 INVALID_TOKEN; a missing one → 400 VALIDATION_FAILED", async () => {
      const unknown = await tab().post("/api/auth/verify-email", { token: "A".repeat(43) });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.code).toBe("INVALID_TOKEN");
      const missing = await tab().post("/api/auth/verify-email", {});
      expect(missing.status).toBe(400);
      expect(missing.body.error.code).toBe("VALIDATION_FAILED");
    });

    it("resend (signed in) answers 202 with a new link that supersedes the old one", async () => {
      const browser = tab();
      const { email } = await signUp(browser);
      const first = linkToken(await mailTo(email, /confirm/i), server.url, "/verify-email");
      const before = server.smtp.messages.length;
      const resent = await browser.send("POST", "/api/auth/verify-email/resend");
      expect(resent.status).toBe(202);
      const second = linkToken(await mailTo(email, /confirm/i, before), server.url, "/verify-email");
      expect(second).not.toBe(first);
      expect((await tab().post("/api/auth/verify-email", { token: first })).status).toBe(400);
      expect((await tab().post("/api/auth/verify-email", { token: second })).status).toBe(200);
    });

    it("resend needs a session (401)", async () => {
      expect((await tab().send("POST", "/api/auth/verify-email/resend")).status).toBe(401);
    });

    it("a reset token is not a verification token", async () => {
      const { email } = await signUp(tab());
      await tab().post("/api/auth/password-reset", { email });
      const resetToken = linkToken(await mailTo(email, /reset/i), server.url, "/reset-password");
      expect((await tab().post("/api/auth/verify-email", { token: resetToken })).status).toBe(400);
    });
  });

  describe("password reset", () => {
    it("answers 202 with the same body for a known and an unknown address; only the known one gets mail", async () => {
      const { email } = await signUp(tab());
      const stranger = uniqueEmail("nobody");
      const known = await tab().post("/api/auth/password-reset", { email });
      const unknown = await tab().post("/api/auth/password-reset", { email: stranger });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(known.body).toEqual(unknown.body);
      const comparable = (headers: Record<string, string>) => {
        // The date and the per-request id differ between any two answers.
        const { date: _date, "x-request-id": _requestId, ...rest } = headers;
        return rest;
      };
      expect(comparable(known.headers)).toEqual(comparable(unknown.headers));
      await mailTo(email, /reset/i);
      expect(server.smtp.messages.some((mail) => mail.to.includes(stranger))).toBe(false);
    });

    it("a malformed address → 400 INVALID_EMAIL", async () => {
      const response = await tab().post("/api/auth/password-reset", { email: "nope" });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("INVALID_EMAIL");
    });

    it("confirm sets the new password, ends every session, is single use, and sends a notice", async () => {
      const browser = tab();
      const { email } = await signUp(browser);
      const other = tab();
      await other.post("/api/auth/sign-in", { email, password: PASSWORD });

      expect((await tab().post("/api/auth/password-reset", { email })).status).toBe(202);
      const mail = await mailTo(email, /reset/i);
      const token = linkToken(mail, server.url, "/reset-password");

      const weak = await tab().post("/api/auth/password-reset/confirm", { token, password: "short" });
      expect(weak.status).toBe(400);
      expect(weak.body.error.code).toBe("WEAK_PASSWORD");
      expect(weak.body.error.fields.password).toEqual(expect.any(String));

      const confirmed = await tab().post("/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
      expect(confirmed.status).toBe(200);
      expect(confirmed.headers["cache-control"]).toBe("no-store");

      // Revocation on the very next request, for every session of the user.
      expect((await browser.get("/api/auth/session")).status).toBe(401);
      expect((await other.get("/api/auth/session")).status).toBe(401);

      expect((await tab().post("/api/auth/sign-in", { email, password: PASSWORD })).status).toBe(401);
      expect((await tab().post("/api/auth/sign-in", { email, password: NEW_PASSWORD })).status).toBe(200);

      const reused = await tab().post("/api/auth/password-reset/confirm", { token, password: "yet another passphrase 11" });
      expect(reused.status).toBe(400);
      expect(reused.body.error.code).toBe("INVALID_TOKEN");

      const notice = await mailTo(email, /changed/i);
      expect(notice.text).not.toContain(token);
    });

    it("a newer reset link supersedes the older one", async () => {
      const { email } = await signUp(tab());
      await tab().post("/api/auth/password-reset", { email });
      const first = linkToken(await mailTo(email, /reset/i), server.url, "/reset-password");
      const before = server.smtp.messages.length;
      await tab().post("/api/auth/password-reset", { email });
      const second = linkToken(await mailTo(email, /reset/i, before), server.url, "/reset-password");
      expect((await tab().post("/api/auth/password-reset/confirm", { token: first, password: NEW_PASSWORD })).status).toBe(400);
      expect((await tab().post("/api/auth/password-reset/confirm", { token: second, password: NEW_PASSWORD })).status).toBe(200);
    });

    it("a password change voids an outstanding reset link and sends a notice", async () => {
      const browser = tab();
      const { email } = await signUp(browser);
      await tab().post("/api/auth/password-reset", { email });
      const token = linkToken(await mailTo(email, /reset/i), server.url, "/reset-password");
      expect((await browser.post("/api/auth/change-password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(200);
      expect((await tab().post("/api/auth/password-reset/confirm", { token, password: "yet another passphrase 11" })).status).toBe(400);
      await mailTo(email, /changed/i);
    });

    it("an unknown token → 400 INVALID_TOKEN", async () => {
      const response = await tab().post("/api/auth/password-reset/confirm", { token: "B".repeat(43), password: NEW_PASSWORD });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("INVALID_TOKEN");
    });

    it("links are built from APP_URL even when the request names another host", async () => {
      const { email } = await signUp(tab());
      const before = server.smtp.messages.length;
      await tab().post("/api/auth/password-reset", { email }, { headers: { "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https" } });
      const mail = await mailTo(email, /reset/i, before);
      expect(mail.text).toContain(`${server.url}/reset-password?token=`);
      expect(mail.text + mail.html).not.toContain("evil.example");
    });

    it("a sent mail's token is erased from the outbox", async () => {
      const { email } = await signUp(tab());
      const token = linkToken(await mailTo(email, /confirm/i), server.url, "/verify-email");
      // The dispatcher marks the mail sent right after SMTP accepted it.
      const deadline = Date.now() + 5000;
      let rows: Array<Record<string, unknown>> = [];
      do {
        rows = await query(server.databaseUrl, "SELECT * FROM outbox WHERE sent_at IS NOT NULL");
        if (rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      } while (Date.now() < deadline);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.params_sealed === null)).toBe(true);
      // Nowhere in the table in plain text, sent or not.
      const plain = await query(server.databaseUrl, "SELECT id FROM outbox WHERE position(convert_to($1, 'UTF8') in coalesce(params_sealed, ''::bytea)) > 0", [token]);
      expect(plain).toHaveLength(0);
      expect(mailsTo(email, /confirm/i)).toHaveLength(1);
    });
  });
});
