import { ChangeMemberRole, RemoveMember } from "../../src/application/teams";
import type { TeamRole } from "../../src/domain/team/team-role";
import { NodeRandomTokens } from "../../src/infrastructure/crypto/node-random-tokens";
import { aTeam, aUser, anEvent, anInvitation, seconds } from "./support/fixtures";
import { eachAdapter, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

describe.each(eachAdapter(persistenceAdapters()))("TeamRepository and InvitationRepository on %s", (name, adapter) => {
  const ctx = usePersistence(adapter);

  async function aUserId(address?: string): Promise<string> {
    const user = aUser(ctx.clock.now(), address);
    await ctx.stores.users.insert(user);
    return user.id;
  }

  async function aTeamWith(...members: Array<[string, TeamRole]>) {
    const team = aTeam(ctx.clock.now());
    await ctx.stores.teams.insert(team);
    for (const [userId, role] of members) {
      expect((await ctx.stores.teams.addMember({ teamId: team.id, userId, role, joinedAt: ctx.clock.advance(1) })).ok).toBe(true);
    }
    return team;
  }

  it("stores a team and finds it, locked or not; renames it", async () => {
    const team = await aTeamWith();
    expect((await ctx.stores.teams.findById(team.id))?.toSnapshot()).toEqual(team.toSnapshot());
    expect((await ctx.uow.run((s) => s.teams.lock(team.id)))?.toSnapshot()).toEqual(team.toSnapshot());
    await ctx.stores.teams.rename(team.id, "Comets");
    expect((await ctx.stores.teams.findById(team.id))?.name).toBe("Comets");
    expect(await ctx.stores.teams.findById("nope")).toBeNull();
  });

  it("keeps one membership per team and user (ALREADY_MEMBER)", async () => {
    const ann = await aUserId();
    const team = await aTeamWith([ann, "owner"]);
    const again = await ctx.stores.teams.addMember({ teamId: team.id, userId: ann, role: "member", joinedAt: ctx.clock.now() });
    expect(!again.ok && again.error.code).toBe("ALREADY_MEMBER");
    expect((await ctx.stores.teams.findMembership(team.id, ann))?.role).toBe("owner");
  });

  it("refuses a membership for a user or team that does not exist", async () => {
    const team = await aTeamWith();
    await expect(ctx.stores.teams.addMember({ teamId: team.id, userId: "ghost", role: "member", joinedAt: ctx.clock.now() })).rejects.toThrow();
    const ann = await aUserId();
    await expect(ctx.stores.teams.addMember({ teamId: "ghost", userId: ann, role: "member", joinedAt: ctx.clock.now() })).rejects.toThrow();
  });

  it("lists members oldest first with their addresses, a user's teams by name, and counts owners", async () => {
    const ann = await aUserId("ann@example.com");
    const bob = await aUserId("bob@example.com");
    const zeta = await aTeamWith([ann, "owner"], [bob, "admin"]);
    await ctx.stores.teams.rename(zeta.id, "Zeta");
    const alpha = await aTeamWith([ann, "member"]);
    await ctx.stores.teams.rename(alpha.id, "Alpha");

    const members = await ctx.stores.teams.listMembers(zeta.id);
    expect(members.map((m) => [m.email, m.role])).toEqual([["ann@example.com", "owner"], ["bob@example.com", "admin"]]);
    expect(members[0]!.joinedAt).toBeInstanceOf(Date);
    expect((await ctx.stores.teams.listForUser(ann)).map((t) => [t.team.name, t.role])).toEqual([["Alpha", "member"], ["Zeta", "owner"]]);
    expect(await ctx.stores.teams.countOwners(zeta.id)).toBe(1);
    await ctx.stores.teams.changeRole(zeta.id, bob, "owner");
    expect(await ctx.stores.teams.countOwners(zeta.id)).toBe(2);
    await ctx.stores.teams.removeMember(zeta.id, bob);
    expect(await ctx.stores.teams.findMembership(zeta.id, bob)).toBeNull();
  });

  it("deletes a team with its memberships and invitations; deleting a user removes their memberships", async () => {
    const ann = await aUserId();
    const bob = await aUserId();
    const team = await aTeamWith([ann, "owner"], [bob, "member"]);
    const kept = await aTeamWith([ann, "owner"], [bob, "member"]);
    await ctx.stores.invitations.insert(anInvitation(team.id, ann, ctx.clock.now()));
    const pendingOfKept = anInvitation(kept.id, bob, ctx.clock.now());
    await ctx.stores.invitations.insert(pendingOfKept);

    await ctx.stores.teams.delete(team.id);
    expect(await ctx.stores.teams.findById(team.id)).toBeNull();
    expect(await ctx.stores.teams.listMembers(team.id)).toEqual([]);
    expect(await ctx.stores.invitations.listPending(team.id, ctx.clock.now())).toEqual([]);

    await ctx.stores.users.delete(bob);
    expect((await ctx.stores.teams.listMembers(kept.id)).map((m) => m.userId)).toEqual([ann]);
    // The link outlives its inviter's account; it only no longer names them.
    expect((await ctx.stores.invitations.findById(kept.id, pendingOfKept.id))?.invitedBy).toBeNull();
  });

  it("finds an invitation by token hash with every field, and by id only within its team", async () => {
    const ann = await aUserId();
    const team = await aTeamWith([ann, "owner"]);
    const other = await aTeamWith([ann, "owner"]);
    const invitation = anInvitation(team.id, ann, ctx.clock.now(), { role: "admin" });
    await ctx.stores.invitations.insert(invitation);
    expect((await ctx.stores.invitations.findByTokenHash(invitation.tokenHash))?.toSnapshot()).toEqual(invitation.toSnapshot());
    expect((await ctx.stores.invitations.findById(team.id, invitation.id))?.id).toBe(invitation.id);
    expect(await ctx.stores.invitations.findById(other.id, invitation.id)).toBeNull();
    expect(await ctx.stores.invitations.findByTokenHash("0".repeat(64))).toBeNull();
  });

  it("refuses a second invitation with the same token hash", async () => {
    const ann = await aUserId();
    const team = await aTeamWith([ann, "owner"]);
    const first = anInvitation(team.id, ann, ctx.clock.now());
    await ctx.stores.invitations.insert(first);
    const clash = anInvitation(team.id, ann, ctx.clock.now(), { email: "other@example.com" });
    const { Invitation } = await import("../../src/domain/team/invitation");
    await expect(ctx.stores.invitations.insert(Invitation.restore({ ...clash.toSnapshot(), tokenHash: first.tokenHash }))).rejects.toThrow();
  });

  it("lists open, unexpired invitations newest first; voiding by address leaves the others", async () => {
    const ann = await aUserId();
    const team = await aTeamWith([ann, "owner"]);
    const t0 = ctx.clock.now();
    const old = anInvitation(team.id, ann, t0, { email: "a@example.com" });
    const newer = anInvitation(team.id, ann, seconds(t0, 10), { email: "b@example.com" });
    const expiring = anInvitation(team.id, ann, seconds(t0, 20), { email: "c@example.com", ttlSeconds: 60 });
    for (const inv of [old, newer, expiring]) await ctx.stores.invitations.insert(inv);
    expect((await ctx.stores.invitations.listPending(team.id, seconds(t0, 30))).map((i) => i.email)).toEqual([
      "c@example.com",
      "b@example.com",
      "a@example.com",
    ]);
    expect((await ctx.stores.invitations.listPending(team.id, seconds(t0, 100))).map((i) => i.email)).toEqual(["b@example.com", "a@example.com"]);
    await ctx.stores.invitations.voidOpen(team.id, "a@example.com", seconds(t0, 40));
    expect((await ctx.stores.invitations.listPending(team.id, seconds(t0, 50))).map((i) => i.email)).toEqual(["c@example.com", "b@example.com"]);
  });

  it.each(["accepted", "declined", "revoked"] as const)("closes an invitation as %s once, never after expiry", async (outcome) => {
    const ann = await aUserId();
    const team = await aTeamWith([ann, "owner"]);
    const t0 = ctx.clock.now();
    const open = anInvitation(team.id, ann, t0);
    const expired = anInvitation(team.id, ann, t0, { email: "late@example.com", ttlSeconds: 60 });
    await ctx.stores.invitations.insert(open);
    await ctx.stores.invitations.insert(expired);
    expect(await ctx.stores.invitations.close(expired.id, outcome, seconds(t0, 61))).toBe(false);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => ctx.stores.invitations.close(open.id, outcome, seconds(t0, 5))));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const stored = await ctx.stores.invitations.findById(team.id, open.id);
    expect(stored?.isPending(seconds(t0, 6))).toBe(false);
    expect({ accepted: stored?.acceptedAt, declined: stored?.declinedAt, revoked: stored?.invalidatedAt }[outcome]).toEqual(seconds(t0, 5));
  });

  it("lists a team's invitation events newest first, and nothing of other teams or other events", async () => {
    const ann = await aUserId();
    const team = await aTeamWith([ann, "owner"]);
    const other = await aTeamWith([ann, "owner"]);
    const record = (type: Parameters<typeof anEvent>[2], teamId: string, extra: Record<string, string> = {}) =>
      ctx.stores.events.record(anEvent(ann, ctx.clock.advance(1), type, { teamId, ...extra }));
    await record("team.created", team.id);
    await record("team.invited", team.id, { email: "a@example.com" });
    await record("team.invited", other.id, { email: "b@example.com" });
    await record("team.invitation-revoked", team.id);
    await record("team.invitation-accepted", team.id);
    await record("team.invitation-declined", team.id);

    const activity = await ctx.stores.teams.invitationActivity(team.id, 3);
    expect(activity.map((e) => e.type)).toEqual(["team.invitation-declined", "team.invitation-accepted", "team.invitation-revoked"]);
    const all = await ctx.stores.teams.invitationActivity(team.id, 10);
    expect(all.map((e) => e.type)).toEqual(["team.invitation-declined", "team.invitation-accepted", "team.invitation-revoked", "team.invited"]);
    expect(all[3]!.detail).toEqual({ teamId: team.id, email: "a@example.com" });
    expect(await ctx.stores.teams.invitationActivity(team.id, 0)).toEqual([]);
  });

  it("tells account deletion which teams the user alone owns while others are in them, and deletes the teams only they are in", async () => {
    const ann = await aUserId();
    const bob = await aUserId();
    const blocked = await aTeamWith([ann, "owner"], [bob, "member"]);
    const shared = await aTeamWith([ann, "owner"], [bob, "owner"]);
    const alone = await aTeamWith([ann, "owner"]);
    const asMember = await aTeamWith([bob, "owner"], [ann, "member"]);
    await ctx.stores.invitations.insert(anInvitation(alone.id, ann, ctx.clock.now()));

    expect(await ctx.uow.run((s) => s.teamOwnership.teamsLeftWithoutOwner(ann))).toEqual([blocked.id]);
    expect(await ctx.uow.run((s) => s.teamOwnership.teamsLeftWithoutOwner(bob))).toEqual([asMember.id]);
    await ctx.uow.run((s) => s.teamOwnership.deleteTeamsOnlyOf(ann));
    expect(await ctx.stores.teams.findById(alone.id)).toBeNull();
    expect(await ctx.stores.invitations.listPending(alone.id, ctx.clock.now())).toEqual([]);
    for (const kept of [blocked, shared, asMember]) expect(await ctx.stores.teams.findById(kept.id)).not.toBeNull();
  });

  describe("the last owner, under concurrent requests", () => {
    const randomTokens = new NodeRandomTokens();
    // More rounds on PostgreSQL, where the requests truly run side by side on separate connections.
    const rounds = name === "PostgreSQL" ? 10 : 2;

    it("two owners demoting each other at once leave exactly one owner", async () => {
      const change = new ChangeMemberRole(ctx.uow, randomTokens, ctx.clock);
      for (let round = 0; round < rounds; round++) {
        const [ann, bob] = [await aUserId(), await aUserId()];
        const team = await aTeamWith([ann, "owner"], [bob, "owner"]);
        const results = await Promise.all([
          change.execute({ userId: ann, teamId: team.id, memberId: bob, role: "member" }),
          change.execute({ userId: bob, teamId: team.id, memberId: ann, role: "member" }),
        ]);
        // The loser finds either that it is the last owner, or (demoted a moment ago) that it may no longer demote.
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(expect.arrayContaining([expect.stringMatching(/^(LAST_OWNER|FORBIDDEN)$/)]));
        expect(await ctx.stores.teams.countOwners(team.id)).toBe(1);
      }
    });

    it("two owners leaving at once leave exactly one owner", async () => {
      const remove = new RemoveMember(ctx.uow, randomTokens, ctx.clock);
      for (let round = 0; round < rounds; round++) {
        const [ann, bob] = [await aUserId(), await aUserId()];
        const team = await aTeamWith([ann, "owner"], [bob, "owner"]);
        const results = await Promise.all([ann, bob].map((me) => remove.execute({ userId: me, teamId: team.id, memberId: me })));
        expect(results.map((r) => (r.ok ? "ok" : r.error.code)).sort()).toEqual(["LAST_OWNER", "ok"]);
        expect(await ctx.stores.teams.countOwners(team.id)).toBe(1);
        expect(await ctx.stores.teams.listMembers(team.id)).toHaveLength(1);
      }
    });
  });
});
