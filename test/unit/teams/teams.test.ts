import { createInMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";
import { aTeam, roleOf } from "./support";

describe("CreateTeam, ListTeams, GetTeam", () => {
  it("makes the creator the only owner and lists the team with the role", async () => {
    const { auth, owner, team } = await aTeam({ name: "  Rockets  " });
    expect(team.name).toBe("Rockets");
    expect(await roleOf(auth, team.id, owner.user.id)).toBe("owner");
    const listed = await auth.useCases.listTeams.execute({ userId: owner.user.id });
    expect(listed.ok && listed.value.map((t) => [t.team.name, t.role])).toEqual([["Rockets", "owner"]]);
    expect((await auth.stores.events.listForUser(owner.user.id, 1))[0]).toMatchObject({ type: "team.created", detail: { teamId: team.id } });
  });

  it.each([["an empty name", "  "], ["a 101-character name", "x".repeat(101)], ["a control character", "a\u0000b"], ["no name", undefined]])(
    "refuses %s with a field error",
    async (_label, name) => {
      const auth = createInMemoryAuth();
      const ann = await auth.registerUser();
      const result = await auth.useCases.createTeam.execute({ userId: ann.user.id, name: name as string });
      expect(!result.ok && result.error).toMatchObject({ code: "VALIDATION_FAILED", fields: { name: expect.any(String) } });
      expect(auth.db.tables.teams.size).toBe(0);
    },
  );

  it("shows members with their addresses to members, and pending invitations only to owners and admins", async () => {
    const { auth, owner, team, invite, join } = await aTeam();
    const mia = await join("mia@example.com", "member");
    const ada = await join("ada@example.com", "admin");
    await invite("newbie@example.com");

    const asMember = await auth.useCases.getTeam.execute({ userId: mia.user.id, teamId: team.id });
    expect(asMember.ok && asMember.value.members.map((m) => [m.email, m.role])).toEqual([
      ["olive@example.com", "owner"],
      ["mia@example.com", "member"],
      ["ada@example.com", "admin"],
    ]);
    expect(asMember.ok && asMember.value.invitations).toBeNull();
    expect(asMember.ok && asMember.value.activity).toBeNull();
    for (const who of [owner, ada]) {
      const view = await auth.useCases.getTeam.execute({ userId: who.user.id, teamId: team.id });
      expect(view.ok && view.value.invitations?.map((i) => i.email)).toEqual(["newbie@example.com"]);
      // The team's invitation events, newest first: three invitations sent, two accepted.
      expect(view.ok && view.value.activity?.map((e) => [e.type, e.detail.email ?? e.detail.role])).toEqual([
        ["team.invited", "newbie@example.com"],
        ["team.invitation-accepted", "admin"],
        ["team.invited", "ada@example.com"],
        ["team.invitation-accepted", "member"],
        ["team.invited", "mia@example.com"],
      ]);
    }
  });

  it("answers 'not found' to someone who is not a member", async () => {
    const { auth, team } = await aTeam();
    const stranger = await auth.registerUser();
    const result = await auth.useCases.getTeam.execute({ userId: stranger.user.id, teamId: team.id });
    expect(!result.ok && result.error.code).toBe("NOT_FOUND");
    const renamed = await auth.useCases.renameTeam.execute({ userId: stranger.user.id, teamId: team.id, name: "Mine" });
    expect(!renamed.ok && renamed.error.code).toBe("NOT_FOUND");
    const deleted = await auth.useCases.deleteTeam.execute({ userId: stranger.user.id, sessionId: stranger.session.id, teamId: team.id });
    expect(!deleted.ok && deleted.error.code).toBe("NOT_FOUND");
  });
});

describe("RenameTeam and DeleteTeam", () => {
  it("let owners rename and delete, and nobody else", async () => {
    const { auth, owner, team, join, invite } = await aTeam();
    const ada = await join("ada@example.com", "admin");
    await invite("x@example.com");

    const byAdmin = await auth.useCases.renameTeam.execute({ userId: ada.user.id, teamId: team.id, name: "Admins" });
    expect(!byAdmin.ok && byAdmin.error.code).toBe("FORBIDDEN");
    const renamed = await auth.useCases.renameTeam.execute({ userId: owner.user.id, teamId: team.id, name: " Comets " });
    expect(renamed.ok && renamed.value.name).toBe("Comets");
    expect((await auth.stores.teams.findById(team.id))?.name).toBe("Comets");

    const deleteByAdmin = await auth.useCases.deleteTeam.execute({ userId: ada.user.id, sessionId: ada.session.id, teamId: team.id });
    expect(!deleteByAdmin.ok && deleteByAdmin.error.code).toBe("FORBIDDEN");
    // Deleting takes a fresh authentication: past FRESH_AUTH_MAX_AGE the owner steps up first.
    auth.clock.advance({ seconds: auth.settings.freshAuthMaxAgeSeconds });
    const stale = await auth.useCases.deleteTeam.execute({ userId: owner.user.id, sessionId: owner.session.id, teamId: team.id });
    expect(!stale.ok && stale.error.code).toBe("REAUTHENTICATION_REQUIRED");
    expect(auth.db.tables.teams.size).toBe(1);
    const stepped = await auth.useCases.reauthenticate.execute({ userId: owner.user.id, sessionId: owner.session.id, password: owner.password });
    if (!stepped.ok) throw new Error(stepped.error.code);
    expect((await auth.useCases.deleteTeam.execute({ userId: owner.user.id, sessionId: stepped.value.session.id, teamId: team.id })).ok).toBe(true);
    expect(auth.db.tables.teams.size + auth.db.tables.memberships.size + auth.db.tables.invitations.size).toBe(0);
  });
});

describe("ChangeMemberRole", () => {
  it("lets owners grant and take the owner role", async () => {
    const { auth, owner, team, join } = await aTeam();
    const mia = await join("mia@example.com");
    const promoted = await auth.useCases.changeMemberRole.execute({ userId: owner.user.id, teamId: team.id, memberId: mia.user.id, role: "owner" });
    expect(promoted.ok).toBe(true);
    expect(await roleOf(auth, team.id, mia.user.id)).toBe("owner");
    const demoted = await auth.useCases.changeMemberRole.execute({ userId: mia.user.id, teamId: team.id, memberId: owner.user.id, role: "member" });
    expect(demoted.ok).toBe(true);
    expect(await roleOf(auth, team.id, owner.user.id)).toBe("member");
    expect((await auth.stores.events.listForUser(mia.user.id, 1))[0]).toMatchObject({
      type: "team.role-changed",
      detail: { teamId: team.id, memberId: owner.user.id, from: "owner", to: "member" },
    });
  });

  it("lets admins move people between admin and member, never to or from owner", async () => {
    const { auth, owner, team, join } = await aTeam();
    const ada = await join("ada@example.com", "admin");
    const mia = await join("mia@example.com");
    const change = (memberId: string, role: string) => auth.useCases.changeMemberRole.execute({ userId: ada.user.id, teamId: team.id, memberId, role });

    expect((await change(mia.user.id, "admin")).ok).toBe(true);
    expect(await roleOf(auth, team.id, mia.user.id)).toBe("admin");
    const grant = await change(mia.user.id, "owner");
    expect(!grant.ok && grant.error.code).toBe("FORBIDDEN");
    const take = await change(owner.user.id, "member");
    expect(!take.ok && take.error.code).toBe("FORBIDDEN");
    expect(await roleOf(auth, team.id, owner.user.id)).toBe("owner");
  });

  it("lets members change nobody's role, not even their own", async () => {
    const { auth, team, join } = await aTeam();
    const mia = await join("mia@example.com");
    const result = await auth.useCases.changeMemberRole.execute({ userId: mia.user.id, teamId: team.id, memberId: mia.user.id, role: "admin" });
    expect(!result.ok && result.error.code).toBe("FORBIDDEN");
  });

  it("never demotes the last owner, not even by their own hand", async () => {
    const { auth, owner, team } = await aTeam();
    const result = await auth.useCases.changeMemberRole.execute({ userId: owner.user.id, teamId: team.id, memberId: owner.user.id, role: "admin" });
    expect(!result.ok && result.error.code).toBe("LAST_OWNER");
    expect(await roleOf(auth, team.id, owner.user.id)).toBe("owner");
  });

  it("refuses an unknown role with a field error, and an unknown member as not found", async () => {
    const { auth, owner, team } = await aTeam();
    const bad = await auth.useCases.changeMemberRole.execute({ userId: owner.user.id, teamId: team.id, memberId: owner.user.id, role: "god" });
    expect(!bad.ok && bad.error).toMatchObject({ code: "VALIDATION_FAILED", fields: { role: expect.any(String) } });
    const ghost = await auth.useCases.changeMemberRole.execute({ userId: owner.user.id, teamId: team.id, memberId: "nobody", role: "admin" });
    expect(!ghost.ok && ghost.error.code).toBe("NOT_FOUND");
  });

  it("two owners demoting each other leave exactly one owner", async () => {
    const { auth, owner, team, join } = await aTeam();
    const otto = await join("otto@example.com", "owner");
    const results = await Promise.all([
      auth.useCases.changeMemberRole.execute({ userId: owner.user.id, teamId: team.id, memberId: otto.user.id, role: "member" }),
      auth.useCases.changeMemberRole.execute({ userId: otto.user.id, teamId: team.id, memberId: owner.user.id, role: "member" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await auth.stores.teams.countOwners(team.id)).toBe(1);
  });
});

describe("RemoveMember", () => {
  it("lets anyone leave, except the last owner", async () => {
    const { auth, owner, team, join } = await aTeam();
    const mia = await join("mia@example.com");
    expect((await auth.useCases.removeMember.execute({ userId: mia.user.id, teamId: team.id, memberId: mia.user.id })).ok).toBe(true);
    expect(await roleOf(auth, team.id, mia.user.id)).toBeNull();
    expect((await auth.stores.events.listForUser(mia.user.id, 1))[0]).toMatchObject({ type: "team.left", detail: { teamId: team.id } });

    const last = await auth.useCases.removeMember.execute({ userId: owner.user.id, teamId: team.id, memberId: owner.user.id });
    expect(!last.ok && last.error.code).toBe("LAST_OWNER");
    expect(await roleOf(auth, team.id, owner.user.id)).toBe("owner");
  });

  it("follows the role ceiling when removing someone else", async () => {
    const { auth, owner, team, join } = await aTeam();
    const ada = await join("ada@example.com", "admin");
    const mia = await join("mia@example.com");
    const max = await join("max@example.com");

    const byMember = await auth.useCases.removeMember.execute({ userId: mia.user.id, teamId: team.id, memberId: max.user.id });
    expect(!byMember.ok && byMember.error.code).toBe("FORBIDDEN");
    const ownerByAdmin = await auth.useCases.removeMember.execute({ userId: ada.user.id, teamId: team.id, memberId: owner.user.id });
    expect(!ownerByAdmin.ok && ownerByAdmin.error.code).toBe("FORBIDDEN");
    expect((await auth.useCases.removeMember.execute({ userId: ada.user.id, teamId: team.id, memberId: max.user.id })).ok).toBe(true);
    expect((await auth.useCases.removeMember.execute({ userId: owner.user.id, teamId: team.id, memberId: ada.user.id })).ok).toBe(true);
    expect((await auth.stores.events.listForUser(owner.user.id, 1))[0]).toMatchObject({
      type: "team.member-removed",
      detail: { teamId: team.id, memberId: ada.user.id },
    });
    const listed = await auth.useCases.getTeam.execute({ userId: owner.user.id, teamId: team.id });
    expect(listed.ok && listed.value.members.map((m) => m.email)).toEqual(["olive@example.com", "mia@example.com"]);
  });

  it("two owners leaving at once leave exactly one owner", async () => {
    const { auth, owner, team, join } = await aTeam();
    const otto = await join("otto@example.com", "owner");
    const results = await Promise.all(
      [owner, otto].map((who) => auth.useCases.removeMember.execute({ userId: who.user.id, teamId: team.id, memberId: who.user.id })),
    );
    expect(results.map((r) => (r.ok ? "ok" : r.error.code)).sort()).toEqual(["LAST_OWNER", "ok"]);
    expect(await auth.stores.teams.countOwners(team.id)).toBe(1);
  });
});
