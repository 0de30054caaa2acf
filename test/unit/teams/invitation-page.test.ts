import { aTeam } from "./support";

const codeOf = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? "OK" : result.error!.code);

describe("The invitation page and its answers", () => {
  it("shows an invitation whose inviter has since deleted their account, without naming anyone", async () => {
    const { auth, team, join, invite } = await aTeam({ name: "Rockets" });
    const adam = await join("adam@example.com", "admin");
    const token = await invite("bob@example.com", "member", adam.user.id);
    expect(await auth.useCases.getInvitation.execute({ token })).toMatchObject({ ok: true, value: { teamName: "Rockets", invitedBy: "adam@example.com" } });

    expect((await auth.useCases.deleteAccount.execute({ userId: adam.user.id, password: adam.password })).ok).toBe(true);
    const view = await auth.useCases.getInvitation.execute({ token });
    expect(view).toMatchObject({ ok: true, value: { teamName: team.name, invitedBy: null, email: "bob@example.com", role: "member" } });
  });

  it("answers INVALID_TOKEN for an empty or missing link secret, on every invitation action", async () => {
    const { auth, owner } = await aTeam();
    for (const token of ["", undefined as unknown as string]) {
      expect(codeOf(await auth.useCases.getInvitation.execute({ token }))).toBe("INVALID_TOKEN");
      expect(codeOf(await auth.useCases.acceptInvitation.execute({ userId: owner.user.id, token }))).toBe("INVALID_TOKEN");
      expect(codeOf(await auth.useCases.declineInvitation.execute({ userId: owner.user.id, token }))).toBe("INVALID_TOKEN");
    }
  });

  it("refuses an invitation to someone no longer signed up as UNAUTHENTICATED, leaving it open", async () => {
    const { auth, invite } = await aTeam();
    const token = await invite("bob@example.com");
    expect(codeOf(await auth.useCases.acceptInvitation.execute({ userId: "no-such-user", token }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await auth.useCases.getInvitation.execute({ token }))).toBe("OK");
  });
});
