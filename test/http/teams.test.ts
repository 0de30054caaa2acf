/** Teams and invitations over HTTP: every route, every refusal, on PostgreSQL with mail captured over SMTP. */
import { describeWithPostgres, query, startNextServer, type NextServer } from "../support/next-server";
import { linkToken, signUp, Tab, uniqueEmail } from "./http-client";

describeWithPostgres("Teams and invitations over HTTP", () => {
  let server: NextServer;
  beforeAll(async () => {
    server = await startNextServer();
  }, 15 * 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const tab = () => new Tab(server.url);
  const patch = (browser: Tab, path: string, body: unknown) => browser.send("PATCH", path, { body });

  async function verify(email: string): Promise<void> {
    const mail = await server.smtp.waitFor((m) => m.to.includes(email) && /confirm/i.test(m.subject), 10_000);
    const verified = await tab().post("/api/auth/verify-email", { token: linkToken(mail, server.url, "/verify-email") });
    expect(verified.status).toBe(200);
  }

  /** A signed-in browser, verified unless told otherwise. */
  async function person(options: { email?: string; verified?: boolean } = {}) {
    const browser = tab();
    const { email, userId } = await signUp(browser, options.email ?? uniqueEmail("team"));
    if (options.verified !== false) await verify(email);
    return { browser, email, userId };
  }

  async function teamOf(owner: Awaited<ReturnType<typeof person>>, name = "Rockets"): Promise<string> {
    const created = await owner.browser.post("/api/teams", { name });
    expect(created.status).toBe(201);
    return created.body.team.id;
  }

  /** Invites `email` and returns the token of the mailed link. */
  async function invite(owner: Awaited<ReturnType<typeof person>>, teamId: string, email: string, role = "member"): Promise<string> {
    const before = server.smtp.messages.length;
    const invited = await owner.browser.post(`/api/teams/${teamId}/invitations`, { email, role });
    expect(invited.status).toBe(201);
    const mail = await server.smtp.waitFor((m) => server.smtp.messages.indexOf(m) >= before && m.to.includes(email) && /^Join /.test(m.subject), 10_000);
    return linkToken(mail, server.url, "/invite");
  }

  async function joined(owner: Awaited<ReturnType<typeof person>>, teamId: string, role = "member") {
    const member = await person();
    const token = await invite(owner, teamId, member.email, role);
    const accepted = await member.browser.post("/api/invitations/accept", { token });
    expect(accepted.status).toBe(200);
    return member;
  }

  it("creates, lists, shows, renames and deletes a team", async () => {
    const olive = await person();
    const created = await olive.browser.post("/api/teams", { name: "  Rockets  " });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ team: { id: expect.any(String), name: "Rockets", createdAt: expect.any(String) }, role: "owner" });
    const id = created.body.team.id;

    const listed = await olive.browser.get("/api/teams");
    expect(listed.status).toBe(200);
    expect(listed.headers["cache-control"]).toBe("no-store");
    expect(listed.body).toEqual({ teams: [{ id, name: "Rockets", role: "owner" }] });

    const shown = await olive.browser.get(`/api/teams/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      team: { id, name: "Rockets" },
      members: [{ userId: olive.userId, email: olive.email, role: "owner", joinedAt: expect.any(String) }],
      invitations: [],
    });

    const renamed = await patch(olive.browser, `/api/teams/${id}`, { name: "Comets" });
    expect(renamed.status).toBe(200);
    expect(renamed.body.team.name).toBe("Comets");

    expect((await olive.browser.delete(`/api/teams/${id}`)).status).toBe(204);
    expect((await olive.browser.get(`/api/teams/${id}`)).status).toBe(404);
    expect(await query(server.databaseUrl, "SELECT 1 FROM teams WHERE id = $1", [id])).toHaveLength(0);
  });

  it("refuses bad input with 400 VALIDATION_FAILED naming the field, and a stranger with 401", async () => {
    const olive = await person();
    const id = await teamOf(olive);
    for (const body of [{ name: "" }, { name: 7 }, { name: "x".repeat(101) }, {}, { name: "ok", admin: true }]) {
      const response = await olive.browser.post("/api/teams", body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("VALIDATION_FAILED");
      expect(Object.keys(response.body.error.fields ?? {})).not.toHaveLength(0);
    }
    const badRole = await olive.browser.post(`/api/teams/${id}/invitations`, { email: "a@example.com", role: "king" });
    expect([badRole.status, badRole.body.error.code, Object.keys(badRole.body.error.fields)]).toEqual([400, "VALIDATION_FAILED", ["role"]]);
    const badEmail = await olive.browser.post(`/api/teams/${id}/invitations`, { email: "not an address", role: "member" });
    expect([badEmail.status, badEmail.body.error.code, Object.keys(badEmail.body.error.fields)]).toEqual([400, "INVALID_EMAIL", ["email"]]);
    const badMemberRole = await patch(olive.browser, `/api/teams/${id}/members/${olive.userId}`, { role: 1 });
    expect([badMemberRole.status, badMemberRole.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    const noToken = await olive.browser.post("/api/invitations/accept", {});
    expect([noToken.status, noToken.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);

    const anonymous = tab();
    expect((await anonymous.get("/api/teams")).status).toBe(401);
    expect((await anonymous.post("/api/teams", { name: "x" })).status).toBe(401);
    expect((await anonymous.get(`/api/teams/${id}`)).status).toBe(401);
  });

  it("invites by e-mail: the newcomer signs up, verifies, accepts, and both see the membership", async () => {
    const olive = await person();
    const id = await teamOf(olive);
    const newcomer = uniqueEmail("newcomer");
    const invited = await olive.browser.post(`/api/teams/${id}/invitations`, { email: newcomer, role: "admin" });
    expect(invited.status).toBe(201);
    expect(invited.body).toEqual({ invitation: { id: expect.any(String), email: newcomer, role: "admin", expiresAt: expect.any(String) } });
    expect(Date.parse(invited.body.invitation.expiresAt) - Date.now()).toBeGreaterThan(259200_000 - 60_000);

    const mail = await server.smtp.waitFor((m) => m.to.includes(newcomer) && /^Join Rockets$/.test(m.subject), 10_000);
    expect(mail.text).toContain(olive.email);
    const token = linkToken(mail, server.url, "/invite");
    expect(token).not.toBe(invited.body.invitation.id);
    const stored = await query(server.databaseUrl, "SELECT * FROM team_invitations WHERE team_id = $1", [id]);
    expect(JSON.stringify(stored)).not.toContain(token);

    const bob = tab();
    await signUp(bob, newcomer);
    await verify(newcomer);
    const accepted = await bob.post("/api/invitations/accept", { token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ team: { id, name: "Rockets" }, role: "admin" });
    expect((await bob.get("/api/teams")).body.teams).toEqual([{ id, name: "Rockets", role: "admin" }]);
    const members = (await olive.browser.get(`/api/teams/${id}`)).body.members;
    expect(members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [olive.email, "owner"],
      [newcomer, "admin"],
    ]);

    const again = await bob.post("/api/invitations/accept", { token });
    expect([again.status, again.body.error.code]).toEqual([400, "INVALID_TOKEN"]);
    const events = await query<{ type: string }>(server.databaseUrl, "SELECT type FROM auth_events WHERE detail->>'teamId' = $1 ORDER BY seq", [id]);
    expect(events.map((e) => e.type)).toEqual(["team.created", "team.invited", "team.invitation-accepted"]);
  });

  it("accepts only for the verified invited address: 403 EMAIL_NOT_VERIFIED, 403 INVITATION_EMAIL_MISMATCH, 400 INVALID_TOKEN", async () => {
    const olive = await person();
    const id = await teamOf(olive);
    const squatter = await person({ verified: false });
    const token = await invite(olive, id, squatter.email);

    const unverified = await squatter.browser.post("/api/invitations/accept", { token });
    expect([unverified.status, unverified.body.error.code]).toEqual([403, "EMAIL_NOT_VERIFIED"]);
    const eve = await person();
    const mismatch = await eve.browser.post("/api/invitations/accept", { token });
    expect([mismatch.status, mismatch.body.error.code]).toEqual([403, "INVITATION_EMAIL_MISMATCH"]);
    expect(mismatch.body.error.message).toContain(squatter.email);
    const madeUp = await eve.browser.post("/api/invitations/accept", { token: "A".repeat(43) });
    expect([madeUp.status, madeUp.body.error.code]).toEqual([400, "INVALID_TOKEN"]);
    expect(await query(server.databaseUrl, "SELECT user_id FROM team_memberships WHERE team_id = $1", [id])).toEqual([{ user_id: olive.userId }]);
  });

  it("inviting again voids the older link; revoking and declining end a link", async () => {
    const olive = await person();
    const id = await teamOf(olive);
    const bob = await person();
    const first = await invite(olive, id, bob.email);
    const second = await invite(olive, id, bob.email);
    const old = await bob.browser.post("/api/invitations/accept", { token: first });
    expect([old.status, old.body.error.code]).toEqual([400, "INVALID_TOKEN"]);

    const pending = (await olive.browser.get(`/api/teams/${id}`)).body.invitations;
    expect(pending).toHaveLength(1);
    expect((await olive.browser.delete(`/api/teams/${id}/invitations/${pending[0].id}`)).status).toBe(204);
    expect((await olive.browser.delete(`/api/teams/${id}/invitations/${pending[0].id}`)).status).toBe(404);
    expect((await bob.browser.post("/api/invitations/accept", { token: second })).status).toBe(400);

    const third = await invite(olive, id, bob.email);
    expect((await bob.browser.post("/api/invitations/decline", { token: third })).status).toBe(204);
    expect((await bob.browser.post("/api/invitations/decline", { token: third })).status).toBe(400);
    expect((await bob.browser.post("/api/invitations/accept", { token: third })).status).toBe(400);
    expect((await olive.browser.get(`/api/teams/${id}`)).body.invitations).toEqual([]);
  });

  it("gates inviting on a verified address: 403 EMAIL_NOT_VERIFIED and no invitation", async () => {
    const ursula = await person({ verified: false });
    const id = await teamOf(ursula);
    const response = await ursula.browser.post(`/api/teams/${id}/invitations`, { email: uniqueEmail(), role: "member" });
    expect([response.status, response.body.error.code]).toEqual([403, "EMAIL_NOT_VERIFIED"]);
    expect(await query(server.databaseUrl, "SELECT 1 FROM team_invitations WHERE team_id = $1", [id])).toHaveLength(0);
  });

  it("keeps the role ceiling: 403 FORBIDDEN for members and for admins touching owners; 409 ALREADY_MEMBER", async () => {
    const olive = await person();
    const id = await teamOf(olive);
    const ada = await joined(olive, id, "admin");
    const mia = await joined(olive, id, "member");

    const byMember = await mia.browser.post(`/api/teams/${id}/invitations`, { email: uniqueEmail(), role: "member" });
    expect([byMember.status, byMember.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const ownerByAdmin = await ada.browser.post(`/api/teams/${id}/invitations`, { email: uniqueEmail(), role: "owner" });
    expect([ownerByAdmin.status, ownerByAdmin.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const demoteOwner = await patch(ada.browser, `/api/teams/${id}/members/${olive.userId}`, { role: "member" });
    expect([demoteOwner.status, demoteOwner.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const grantOwner = await patch(ada.browser, `/api/teams/${id}/members/${mia.userId}`, { role: "owner" });
    expect([grantOwner.status, grantOwner.body.error.code]).toEqual([403, "FORBIDDEN"]);
    expect((await patch(mia.browser, `/api/teams/${id}`, { name: "Mine" })).status).toBe(403);
    expect((await ada.browser.delete(`/api/teams/${id}`)).status).toBe(403);
    expect((await mia.browser.delete(`/api/teams/${id}/members/${ada.userId}`)).status).toBe(403);
    expect((await mia.browser.get(`/api/teams/${id}`)).body.invitations).toBeUndefined();

    const promoted = await patch(ada.browser, `/api/teams/${id}/members/${mia.userId}`, { role: "admin" });
    expect(promoted.status).toBe(200);
    expect(promoted.body.member).toMatchObject({ userId: mia.userId, role: "admin" });

    const already = await olive.browser.post(`/api/teams/${id}/invitations`, { email: mia.email.toUpperCase(), role: "member" });
    expect([already.status, already.body.error.code]).toEqual([409, "ALREADY_MEMBER"]);
  });

  it("never loses its last owner: 409 LAST_OWNER on demotion, leaving and account deletion", async () => {
    const olive = await person();
    const id = await teamOf(olive);
    const mia = await joined(olive, id);

    const demote = await patch(olive.browser, `/api/teams/${id}/members/${olive.userId}`, { role: "admin" });
    expect([demote.status, demote.body.error.code]).toEqual([409, "LAST_OWNER"]);
    const leave = await olive.browser.delete(`/api/teams/${id}/members/${olive.userId}`);
    expect([leave.status, leave.body.error.code]).toEqual([409, "LAST_OWNER"]);
    const deleteAccount = await olive.browser.delete("/api/account", { password: "correct horse battery staple 7" });
    expect([deleteAccount.status, deleteAccount.body.error.code]).toEqual([409, "LAST_OWNER"]);
    expect((await olive.browser.get("/api/teams")).status).toBe(200);

    expect((await mia.browser.delete(`/api/teams/${id}/members/${mia.userId}`)).status).toBe(204);
    expect((await mia.browser.get(`/api/teams/${id}`)).status).toBe(404);
    // Alone in the team now: the account goes, and the team with it.
    expect((await olive.browser.delete("/api/account", { password: "correct horse battery staple 7" })).status).toBe(204);
    expect(await query(server.databaseUrl, "SELECT 1 FROM teams WHERE id = $1", [id])).toHaveLength(0);
  });

  it("two owners demoting each other, or leaving, at the same moment leave exactly one owner", async () => {
    for (const action of ["demote", "leave"] as const) {
      const olive = await person();
      const id = await teamOf(olive);
      const otto = await joined(olive, id, "owner");
      const other = { [olive.userId]: otto.userId, [otto.userId]: olive.userId };
      const responses = await Promise.all(
        [olive, otto].map((me) =>
          action === "demote"
            ? patch(me.browser, `/api/teams/${id}/members/${other[me.userId]}`, { role: "member" })
            : me.browser.delete(`/api/teams/${id}/members/${me.userId}`),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual(action === "demote" ? [200, expect.any(Number)] : [204, 409]);
      expect(responses.filter((r) => r.status >= 400).map((r) => r.body.error.code)[0]).toMatch(/^(LAST_OWNER|FORBIDDEN)$/);
      const owners = await query(server.databaseUrl, "SELECT user_id FROM team_memberships WHERE team_id = $1 AND role = 'owner'", [id]);
      expect(owners).toHaveLength(1);
    }
  });

  it("an owner deleting their account while the other owner leaves still leaves the team an owner", async () => {
    const olive = await person();
    const id = await teamOf(olive);
    const otto = await joined(olive, id, "owner");
    await joined(olive, id, "member");
    const [deleted, left] = await Promise.all([
      olive.browser.delete("/api/account", { password: "correct horse battery staple 7" }),
      otto.browser.delete(`/api/teams/${id}/members/${otto.userId}`),
    ]);
    // Whichever goes first, the other finds itself the last owner of a team with members.
    expect([deleted.status, left.status].sort()).toEqual([204, 409]);
    expect([deleted, left].find((r) => r.status === 409)!.body.error.code).toBe("LAST_OWNER");
    const owners = await query(server.databaseUrl, "SELECT user_id FROM team_memberships WHERE team_id = $1 AND role = 'owner'", [id]);
    expect(owners).toHaveLength(1);
  });

  it("answers another team's ids with 404", async () => {
    const olive = await person();
    const mine = await teamOf(olive);
    const eve = await person();
    const theirs = await teamOf(eve, "Elsewhere");
    await invite(eve, theirs, uniqueEmail());
    const [theirInvitation] = (await eve.browser.get(`/api/teams/${theirs}`)).body.invitations;

    expect((await olive.browser.get(`/api/teams/${theirs}`)).status).toBe(404);
    expect((await patch(olive.browser, `/api/teams/${theirs}`, { name: "Taken" })).status).toBe(404);
    expect((await olive.browser.delete(`/api/teams/${theirs}`)).status).toBe(404);
    expect((await olive.browser.post(`/api/teams/${theirs}/invitations`, { email: uniqueEmail(), role: "member" })).status).toBe(404);
    expect((await olive.browser.delete(`/api/teams/${mine}/invitations/${theirInvitation.id}`)).status).toBe(404);
    expect((await olive.browser.delete(`/api/teams/${theirs}/invitations/${theirInvitation.id}`)).status).toBe(404);
    expect((await patch(olive.browser, `/api/teams/${mine}/members/${eve.userId}`, { role: "admin" })).status).toBe(404);
    expect((await patch(olive.browser, `/api/teams/${theirs}/members/${eve.userId}`, { role: "member" })).status).toBe(404);
    expect((await olive.browser.delete(`/api/teams/${theirs}/members/${eve.userId}`)).status).toBe(404);
    const body = (await olive.browser.get(`/api/teams/${theirs}`)).body;
    expect(body.error.code).toBe("NOT_FOUND");
    expect((await eve.browser.get(`/api/teams/${theirs}`)).body.invitations).toHaveLength(1);
  });
});
