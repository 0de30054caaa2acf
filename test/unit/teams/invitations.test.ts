import { createInMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";
import { aTeam, roleOf } from "./support";

describe("InviteMember", () => {
  it("mails a 256-bit link stored only as its hash, expiring after INVITE_TOKEN_TTL", async () => {
    const { auth, owner, team } = await aTeam();
    const result = await auth.useCases.inviteMember.execute({ userId: owner.user.id, teamId: team.id, email: " New@Example.com ", role: "admin" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.email).toBe("new@example.com");
    expect(result.value.expiresAt.getTime() - auth.clock.now().getTime()).toBe(259200 * 1000);

    const mail = auth.outbox.lastTo("new@example.com", "team-invitation")!;
    const token = mail.params.token!;
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(mail.params).toMatchObject({ teamName: "Rockets", invitedBy: "olive@example.com", expiresAt: result.value.expiresAt.toISOString() });
    expect(result.value.tokenHash).toBe(auth.randomTokens.hash(token));
    expect(result.value.id).not.toBe(token);
    expect(JSON.stringify([...auth.db.tables.invitations.values(), ...auth.db.tables.events.values()])).not.toContain(token);
    expect((await auth.stores.events.listForUser(owner.user.id, 1))[0]).toMatchObject({
      type: "team.invited",
      detail: { teamId: team.id, invitationId: result.value.id, role: "admin" },
    });
  });

  it("takes its lifetime from the settings", async () => {
    const auth = createInMemoryAuth({ settings: { inviteTokenTtlSeconds: 600 } });
    const ann = await auth.registerUser();
    const team = await auth.useCases.createTeam.execute({ userId: ann.user.id, name: "T" });
    const teamId = team.ok ? team.value.team.id : "";
    const invited = await auth.useCases.inviteMember.execute({ userId: ann.user.id, teamId, email: "b@example.com", role: "member" });
    expect(invited.ok && invited.value.expiresAt).toEqual(new Date(auth.clock.now().getTime() + 600_000));
  });

  it("requires the inviter's verified address, with no side effect otherwise", async () => {
    const auth = createInMemoryAuth();
    const ann = await auth.registerUser({ verified: false });
    const team = await auth.useCases.createTeam.execute({ userId: ann.user.id, name: "Unverified" });
    expect(team.ok).toBe(true);
    const teamId = team.ok ? team.value.team.id : "";
    const result = await auth.useCases.inviteMember.execute({ userId: ann.user.id, teamId, email: "b@example.com", role: "member" });
    expect(!result.ok && result.error.code).toBe("EMAIL_NOT_VERIFIED");
    expect(auth.db.tables.invitations.size).toBe(0);
    expect(auth.outbox.lastTo("b@example.com")).toBeUndefined();
  });

  it("follows the role ceiling: members invite nobody, admins invite no owner", async () => {
    const { auth, team, join } = await aTeam();
    const mia = await join("mia@example.com");
    const ada = await join("ada@example.com", "admin");
    const invite = (userId: string, role: string) => auth.useCases.inviteMember.execute({ userId, teamId: team.id, email: "z@example.com", role });

    const byMember = await invite(mia.user.id, "member");
    expect(!byMember.ok && byMember.error.code).toBe("FORBIDDEN");
    const ownerByAdmin = await invite(ada.user.id, "owner");
    expect(!ownerByAdmin.ok && ownerByAdmin.error.code).toBe("FORBIDDEN");
    expect((await invite(ada.user.id, "admin")).ok).toBe(true);
  });

  it("refuses a member's address (ALREADY_MEMBER), a bad address and a bad role", async () => {
    const { auth, owner, team, join } = await aTeam();
    await join("mia@example.com");
    const invite = (email: string, role = "member") => auth.useCases.inviteMember.execute({ userId: owner.user.id, teamId: team.id, email, role });
    const member = await invite("MIA@example.com");
    expect(!member.ok && member.error.code).toBe("ALREADY_MEMBER");
    const bad = await invite("not an address");
    expect(!bad.ok && bad.error.code).toBe("INVALID_EMAIL");
    const role = await invite("x@example.com", "superuser");
    expect(!role.ok && role.error).toMatchObject({ code: "VALIDATION_FAILED", fields: { role: expect.any(String) } });
  });

  it("answers 'not found' for a team the inviter is not in", async () => {
    const { auth } = await aTeam();
    const other = await aTeam();
    const stranger = await auth.registerUser();
    const result = await auth.useCases.inviteMember.execute({ userId: stranger.user.id, teamId: other.team.id, email: "a@example.com", role: "member" });
    expect(!result.ok && result.error.code).toBe("NOT_FOUND");
  });

  it("limits the invitations one user sends, with a time to retry", async () => {
    const auth = createInMemoryAuth({ settings: { rateLimits: { invitationsPerUser: { limit: 2, windowSeconds: 3600 } } } });
    const ann = await auth.registerUser();
    const team = await auth.useCases.createTeam.execute({ userId: ann.user.id, name: "T" });
    const teamId = team.ok ? team.value.team.id : "";
    const invite = (n: number) => auth.useCases.inviteMember.execute({ userId: ann.user.id, teamId, email: `p${n}@example.com`, role: "member" });
    expect((await invite(1)).ok).toBe(true);
    expect((await invite(2)).ok).toBe(true);
    const third = await invite(3);
    expect(!third.ok && third.error).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 3600 });
    expect(auth.outbox.lastTo("p3@example.com")).toBeUndefined();
    auth.clock.advance({ hours: 1 });
    expect((await invite(3)).ok).toBe(true);
  });

  it("voids the older link when the same address is invited again: the newest link wins", async () => {
    const { auth, team, invite } = await aTeam();
    const bob = await auth.registerUser({ email: "bob@example.com" });
    const first = await invite("bob@example.com");
    const second = await invite("bob@example.com", "admin");
    const old = await auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token: first });
    expect(!old.ok && old.error.code).toBe("INVALID_TOKEN");
    const accepted = await auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token: second });
    expect(accepted.ok && accepted.value.role).toBe("admin");
    expect(await roleOf(auth, team.id, bob.user.id)).toBe("admin");
  });
});

describe("GetInvitation", () => {
  it("shows the team, the inviter and the invited address without consuming the link", async () => {
    const { auth, invite } = await aTeam();
    const token = await invite("bob@example.com");
    for (let i = 0; i < 2; i++) {
      const view = await auth.useCases.getInvitation.execute({ token });
      expect(view.ok && view.value).toMatchObject({ teamName: "Rockets", invitedBy: "olive@example.com", email: "bob@example.com", role: "member" });
    }
    const bob = await auth.registerUser({ email: "bob@example.com" });
    expect((await auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token })).ok).toBe(true);
    expect((await auth.useCases.getInvitation.execute({ token })).ok).toBe(false);
  });
});

describe("AcceptInvitation", () => {
  it("joins the team in the invited role, once", async () => {
    const { auth, team, invite } = await aTeam();
    const bob = await auth.registerUser({ email: "bob@example.com" });
    const token = await invite("bob@example.com", "admin");
    const accepted = await auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token, context: auth.context });
    expect(accepted.ok && [accepted.value.team.id, accepted.value.role]).toEqual([team.id, "admin"]);
    expect((await auth.stores.events.listForUser(bob.user.id, 1))[0]).toMatchObject({ type: "team.invitation-accepted", detail: { teamId: team.id } });
    const again = await auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token });
    expect(!again.ok && again.error.code).toBe("INVALID_TOKEN");
  });

  it("is refused to an unverified account registered to the invited address", async () => {
    const { auth, team, invite } = await aTeam();
    const squatter = await auth.registerUser({ email: "bob@example.com", verified: false });
    const token = await invite("bob@example.com");
    const result = await auth.useCases.acceptInvitation.execute({ userId: squatter.user.id, token });
    expect(!result.ok && result.error.code).toBe("EMAIL_NOT_VERIFIED");
    expect(await roleOf(auth, team.id, squatter.user.id)).toBeNull();
    expect((await auth.useCases.getInvitation.execute({ token })).ok).toBe(true);
  });

  it("is refused to a signed-in user with another address, naming the invited one", async () => {
    const { auth, team, invite } = await aTeam();
    const eve = await auth.registerUser({ email: "eve@example.com" });
    const token = await invite("bob@example.com");
    const result = await auth.useCases.acceptInvitation.execute({ userId: eve.user.id, token });
    expect(!result.ok && result.error).toMatchObject({ code: "INVITATION_EMAIL_MISMATCH", message: expect.stringContaining("bob@example.com") });
    expect(await roleOf(auth, team.id, eve.user.id)).toBeNull();
  });

  it("refuses to invite a whole-script look-alike of an account's address (LOOK_ALIKE_EMAIL), and mails nothing", async () => {
    const { auth, owner, team, join } = await aTeam();
    await auth.registerUser({ email: "apple@example.com" });
    await join("scope@example.com");
    const invite = (email: string) => auth.useCases.inviteMember.execute({ userId: owner.user.id, teamId: team.id, email, role: "member" });
    const before = { mails: auth.outbox.messages.length, invitations: auth.db.tables.invitations.size };

    const cyrillicApple = "\u0430\u0440\u0440\u04cf\u0435@example.com";
    const refused = await invite(cyrillicApple);
    expect(!refused.ok && refused.error).toMatchObject({ code: "LOOK_ALIKE_EMAIL", fields: { email: expect.stringContaining("looks like") } });
    // A member's look-alike is refused the same way: it is not the member's address either.
    expect(!(await invite("\u0455\u0441\u043e\u0440\u0435@example.com")).ok).toBe(true);
    expect({ mails: auth.outbox.messages.length, invitations: auth.db.tables.invitations.size }).toEqual(before);
    // The account's own address, and an address in Cyrillic that looks like no account's, are invited.
    expect((await invite("apple@example.com")).ok).toBe(true);
    expect((await invite("\u0436\u0443\u043a@example.com")).ok).toBe(true);
  });

  it("does not let a look-alike address impersonate the invitee", async () => {
    const { auth, team, invite } = await aTeam();
    const token = await invite("bob@example.com");
    // A Cyrillic "о" among Latin letters cannot even sign up (a part mixing alphabets is refused)…
    const mixed = await auth.useCases.signUp.execute({ email: "b\u043eb@example.com", password: "Vivid-Lantern-93", context: auth.context });
    expect(!mixed.ok && mixed.error.code).toBe("INVALID_EMAIL");
    // …and an address in another alphabet altogether is another mailbox, verified by whoever holds it.
    const mallory = await auth.registerUser({ email: "\u0432\u043e\u0432@example.com" });
    const result = await auth.useCases.acceptInvitation.execute({ userId: mallory.user.id, token });
    expect(!result.ok && result.error.code).toBe("INVITATION_EMAIL_MISMATCH");
    expect(await roleOf(auth, team.id, mallory.user.id)).toBeNull();
    // Invisible characters never make an address, so "bob" with a zero-width space cannot even sign up.
    const hidden = await auth.useCases.signUp.execute({ email: "bob\u200b@example.com", password: "Vivid-Lantern-93", context: auth.context });
    expect(!hidden.ok && hidden.error.code).toBe("INVALID_EMAIL");
  });

  it("compares canonical addresses: an invitation to a differently written form of the address is the same mailbox", async () => {
    const { auth, team, invite } = await aTeam();
    const token = await invite("  BOB@Example.COM ");
    const bob = await auth.registerUser({ email: "bob@example.com" });
    expect((await auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token })).ok).toBe(true);
    expect(await roleOf(auth, team.id, bob.user.id)).toBe("member");
  });

  it("is refused after expiry, after revocation, and for a made-up token", async () => {
    const { auth, owner, team, invite } = await aTeam();
    const bob = await auth.registerUser({ email: "bob@example.com" });
    const expiring = await invite("bob@example.com");
    auth.clock.advance({ days: 3 });
    const expired = await auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token: expiring });
    expect(!expired.ok && expired.error.code).toBe("INVALID_TOKEN");

    const revoked = await invite("bob@example.com");
    const pending = await auth.stores.invitations.listPending(team.id, auth.clock.now());
    const revoke = await auth.useCases.revokeInvitation.execute({ userId: owner.user.id, teamId: team.id, invitationId: pending[0]!.id });
    expect(revoke.ok).toBe(true);
    const afterRevoke = await auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token: revoked });
    expect(!afterRevoke.ok && afterRevoke.error.code).toBe("INVALID_TOKEN");

    const madeUp = await auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token: "x".repeat(43) });
    expect(!madeUp.ok && madeUp.error.code).toBe("INVALID_TOKEN");
    expect(await roleOf(auth, team.id, bob.user.id)).toBeNull();
  });

  it("refuses an invitation for someone who is already a member (ALREADY_MEMBER) and leaves the link unused", async () => {
    const { auth, team, invite } = await aTeam();
    const bob = await auth.registerUser({ email: "bob@example.com" });
    const token = await invite("bob@example.com", "admin");
    await auth.stores.teams.addMember({ teamId: team.id, userId: bob.user.id, role: "member", joinedAt: auth.clock.now() });
    const result = await auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token });
    expect(!result.ok && result.error.code).toBe("ALREADY_MEMBER");
    expect(await roleOf(auth, team.id, bob.user.id)).toBe("member");
    expect((await auth.useCases.getInvitation.execute({ token })).ok).toBe(true);
  });

  it("lets exactly one of two concurrent acceptances win", async () => {
    const { auth, team, invite } = await aTeam();
    const bob = await auth.registerUser({ email: "bob@example.com" });
    const token = await invite("bob@example.com");
    const results = await Promise.all([0, 1].map(() => auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await auth.useCases.getTeam.execute({ userId: bob.user.id, teamId: team.id })).ok).toBe(true);
  });
});

describe("DeclineInvitation and RevokeInvitation", () => {
  it("declining voids the link", async () => {
    const { auth, team, invite } = await aTeam();
    const bob = await auth.registerUser({ email: "bob@example.com" });
    const token = await invite("bob@example.com");
    expect((await auth.useCases.declineInvitation.execute({ userId: bob.user.id, token })).ok).toBe(true);
    const accept = await auth.useCases.acceptInvitation.execute({ userId: bob.user.id, token });
    expect(!accept.ok && accept.error.code).toBe("INVALID_TOKEN");
    expect(await auth.stores.invitations.listPending(team.id, auth.clock.now())).toEqual([]);
    const twice = await auth.useCases.declineInvitation.execute({ userId: bob.user.id, token });
    expect(!twice.ok && twice.error.code).toBe("INVALID_TOKEN");
  });

  it("only owners and admins revoke, and only their own team's invitations", async () => {
    const { auth, team, invite, join } = await aTeam();
    const mia = await join("mia@example.com");
    const ada = await join("ada@example.com", "admin");
    await invite("bob@example.com");
    const [pending] = await auth.stores.invitations.listPending(team.id, auth.clock.now());
    const other = await aTeam();
    const foreign = await auth.useCases.revokeInvitation.execute({ userId: ada.user.id, teamId: team.id, invitationId: "nope" });
    expect(!foreign.ok && foreign.error.code).toBe("NOT_FOUND");
    const byMember = await auth.useCases.revokeInvitation.execute({ userId: mia.user.id, teamId: team.id, invitationId: pending!.id });
    expect(!byMember.ok && byMember.error.code).toBe("FORBIDDEN");
    const elsewhere = await other.auth.useCases.revokeInvitation.execute({ userId: other.owner.user.id, teamId: other.team.id, invitationId: pending!.id });
    expect(!elsewhere.ok && elsewhere.error.code).toBe("NOT_FOUND");
    expect((await auth.useCases.revokeInvitation.execute({ userId: ada.user.id, teamId: team.id, invitationId: pending!.id })).ok).toBe(true);
    expect(await auth.stores.invitations.listPending(team.id, auth.clock.now())).toEqual([]);
  });
});
