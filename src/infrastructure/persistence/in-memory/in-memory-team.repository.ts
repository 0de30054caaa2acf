import type { TeamOwnership } from "../../../application/identity/team-ownership.port";
import { INVITATION_EVENTS, type TeamRepository } from "../../../application/teams/team-repositories.port";
import type { AuthEvent } from "../../../domain/shared/auth-event";
import { fail, ok, type Result } from "../../../domain/shared/result";
import type { Membership, TeamMember } from "../../../domain/team/membership";
import { Team } from "../../../domain/team/team";
import { AlreadyMember } from "../../../domain/team/team-errors";
import type { TeamRole } from "../../../domain/team/team-role";
import type { TableAccess } from "./in-memory-database";

const key = (teamId: string, userId: string) => `${teamId} ${userId}`;

/**
 * Teams and memberships. `lock` needs no lock here: units of work already run one at a time, which
 * is what the row lock of the SQL adapter achieves for the owners of one team. Also answers account
 * deletion's questions about the teams a user belongs to.
 */
export class InMemoryTeamRepository implements TeamRepository, TeamOwnership {
  constructor(private readonly access: TableAccess) {}

  async insert(team: Team): Promise<void> {
    const snapshot = team.toSnapshot();
    if (this.access.has("teams", snapshot.id)) throw new Error(`duplicate team id ${snapshot.id}`);
    this.access.set("teams", snapshot.id, snapshot);
  }

  async findById(teamId: string): Promise<Team | null> {
    const row = this.access.get("teams", teamId);
    return row ? Team.restore(row) : null;
  }

  lock(teamId: string): Promise<Team | null> {
    return this.findById(teamId);
  }

  async rename(teamId: string, name: string): Promise<void> {
    const row = this.access.get("teams", teamId);
    if (row) this.access.set("teams", teamId, { ...row, name });
  }

  async delete(teamId: string): Promise<void> {
    if (!this.access.has("teams", teamId)) return;
    // ON DELETE CASCADE in the database; spelled out here.
    for (const m of this.access.rows("memberships")) if (m.teamId === teamId) this.access.delete("memberships", key(m.teamId, m.userId));
    for (const inv of this.access.rows("invitations")) if (inv.teamId === teamId) this.access.delete("invitations", inv.id);
    this.access.delete("subscriptions", teamId);
    this.access.delete("teams", teamId);
  }

  async addMember(membership: Membership): Promise<Result<void, AlreadyMember>> {
    if (!this.access.has("teams", membership.teamId)) throw new Error(`foreign key violation: no team ${membership.teamId}`);
    if (!this.access.has("users", membership.userId)) throw new Error(`foreign key violation: no user ${membership.userId}`);
    const id = key(membership.teamId, membership.userId);
    if (this.access.has("memberships", id)) return fail(new AlreadyMember());
    this.access.set("memberships", id, { ...membership });
    return ok();
  }

  async findMembership(teamId: string, userId: string): Promise<Membership | null> {
    const row = this.access.get("memberships", key(teamId, userId));
    return row ? { ...row } : null;
  }

  async listMembers(teamId: string): Promise<TeamMember[]> {
    return this.access
      .rows("memberships")
      .filter((m) => m.teamId === teamId)
      .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || a.userId.localeCompare(b.userId))
      .map((m) => ({ ...m, email: this.access.get("users", m.userId)?.email ?? "" }));
  }

  async listForUser(userId: string): Promise<Array<{ team: Team; role: TeamRole }>> {
    return this.access
      .rows("memberships")
      .filter((m) => m.userId === userId)
      .flatMap((m) => {
        const team = this.access.get("teams", m.teamId);
        return team ? [{ team: Team.restore(team), role: m.role }] : [];
      })
      .sort((a, b) => compareText(a.team.name, b.team.name) || compareText(a.team.id, b.team.id));
  }

  async countOwners(teamId: string): Promise<number> {
    return this.access.rows("memberships").filter((m) => m.teamId === teamId && m.role === "owner").length;
  }

  async changeRole(teamId: string, userId: string, role: TeamRole): Promise<void> {
    const row = this.access.get("memberships", key(teamId, userId));
    if (row) this.access.set("memberships", key(teamId, userId), { ...row, role });
  }

  async removeMember(teamId: string, userId: string): Promise<void> {
    this.access.delete("memberships", key(teamId, userId));
  }

  async invitationActivity(teamId: string, limit: number): Promise<AuthEvent[]> {
    const types: readonly string[] = INVITATION_EVENTS;
    return this.access
      .rows("events")
      .filter((row) => row.event.detail.teamId === teamId && types.includes(row.event.type))
      .sort((a, b) => b.seq - a.seq)
      .slice(0, Math.max(0, Math.floor(limit)))
      .map((row) => ({ ...row.event, detail: { ...row.event.detail } }));
  }

  async teamsLeftWithoutOwner(userId: string): Promise<string[]> {
    const mine = this.access.rows("memberships").filter((m) => m.userId === userId && m.role === "owner");
    return mine
      .filter((m) => {
        const team = this.access.rows("memberships").filter((other) => other.teamId === m.teamId);
        return team.length > 1 && team.filter((other) => other.role === "owner").length === 1;
      })
      .map((m) => m.teamId);
  }

  async deleteTeamsOnlyOf(userId: string): Promise<void> {
    const memberships = this.access.rows("memberships");
    for (const m of memberships.filter((m) => m.userId === userId)) {
      if (memberships.every((other) => other.teamId !== m.teamId || other.userId === userId)) await this.delete(m.teamId);
    }
  }
}

/** Byte order, as PostgreSQL's "C" collation: the same order on every adapter. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
