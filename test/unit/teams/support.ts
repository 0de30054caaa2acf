import { createInMemoryAuth, type InMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";
import type { TeamRole } from "../../../src/domain/team/team-role";

/** A kit with a team owned by Olive (verified) and helpers to add people to it in a given role. */
export async function aTeam(options: { name?: string } = {}) {
  const auth = createInMemoryAuth() as InMemoryAuth;
  const owner = await auth.registerUser({ email: "olive@example.com" });
  const created = await auth.useCases.createTeam.execute({ userId: owner.user.id, name: options.name ?? "Rockets", context: auth.context });
  if (!created.ok) throw new Error(created.error.code);
  const team = created.value.team;

  /** Invites the address as `role` and returns the mailed secret. */
  async function invite(email: string, role: TeamRole = "member", by = owner.user.id): Promise<string> {
    const invited = await auth.useCases.inviteMember.execute({ userId: by, teamId: team.id, email, role, context: auth.context });
    if (!invited.ok) throw new Error(`invite ${email}: ${invited.error.code}`);
    return auth.outbox.lastTokenFor(invited.value.email, "team-invitation")!;
  }

  /** Registers (verified) and joins the team as `role`. */
  async function join(email: string, role: TeamRole = "member") {
    const person = await auth.registerUser({ email });
    const token = await invite(email, role);
    auth.clock.advance(1); // members are listed in the order they joined
    const accepted = await auth.useCases.acceptInvitation.execute({ userId: person.user.id, token });
    if (!accepted.ok) throw new Error(`join ${email}: ${accepted.error.code}`);
    return person;
  }

  return { auth, owner, team, invite, join };
}

export async function roleOf(auth: InMemoryAuth, teamId: string, userId: string): Promise<TeamRole | null> {
  return (await auth.stores.teams.findMembership(teamId, userId))?.role ?? null;
}
