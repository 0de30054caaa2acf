import { aTeam, roleOf } from "./support";

describe("DeleteAccount and teams", () => {
  it("is refused with LAST_OWNER while the account is the only owner of a team with other members", async () => {
    const { auth, owner, team, join } = await aTeam();
    const mia = await join("mia@example.com");
    const result = await auth.useCases.deleteAccount.execute({ userId: owner.user.id, password: owner.password });
    expect(!result.ok && result.error.code).toBe("LAST_OWNER");
    expect(await auth.stores.users.findById(owner.user.id)).not.toBeNull();
    expect((await auth.useCases.authenticateSession.execute({ token: owner.token })).ok).toBe(true);

    // Once someone else owns the team too, the account may go; the team stays with its other members.
    await auth.useCases.changeMemberRole.execute({ userId: owner.user.id, teamId: team.id, memberId: mia.user.id, role: "owner" });
    expect((await auth.useCases.deleteAccount.execute({ userId: owner.user.id, password: owner.password })).ok).toBe(true);
    expect(await roleOf(auth, team.id, mia.user.id)).toBe("owner");
    expect(await roleOf(auth, team.id, owner.user.id)).toBeNull();
  });

  it("deletes a team whose only member is the account, with its invitations", async () => {
    const { auth, owner, team, invite } = await aTeam();
    await invite("bob@example.com");
    expect((await auth.useCases.deleteAccount.execute({ userId: owner.user.id, password: owner.password })).ok).toBe(true);
    expect(await auth.stores.teams.findById(team.id)).toBeNull();
    expect(auth.db.tables.invitations.size).toBe(0);
  });

  it("lets a member or a co-owner delete their account, leaving the team as it was", async () => {
    const { auth, owner, team, join } = await aTeam();
    const mia = await join("mia@example.com");
    expect((await auth.useCases.deleteAccount.execute({ userId: mia.user.id, password: mia.password })).ok).toBe(true);
    const view = await auth.useCases.getTeam.execute({ userId: owner.user.id, teamId: team.id });
    expect(view.ok && view.value.members.map((m) => m.email)).toEqual(["olive@example.com"]);
  });
});
