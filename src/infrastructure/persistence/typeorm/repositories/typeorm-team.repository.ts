import type { EntityManager } from "typeorm";
import type { TeamOwnership } from "../../../../application/identity/team-ownership.port";
import { INVITATION_EVENTS, type InvitationRepository, type TeamRepository } from "../../../../application/teams/team-repositories.port";
import type { AuthEvent } from "../../../../domain/shared/auth-event";
import { toAuthEvent, type AuthEventRow } from "../schemas/auth-event.schema";
import { fail, ok, type Result } from "../../../../domain/shared/result";
import type { Invitation } from "../../../../domain/team/invitation";
import type { Membership, TeamMember } from "../../../../domain/team/membership";
import type { Team } from "../../../../domain/team/team";
import { AlreadyMember } from "../../../../domain/team/team-errors";
import type { TeamRole } from "../../../../domain/team/team-role";
import { insertOne, selectOne, sql } from "../sql";
import {
  InvitationSchema,
  toInvitation,
  toInvitationRow,
  toMembership,
  toTeam,
  type InvitationRow,
  type MembershipRow,
  type TeamRow,
} from "../schemas/team.schema";

const MEMBERSHIP = `team_id AS "teamId", user_id AS "userId", role, joined_at AS "joinedAt"`;

/** Teams and memberships; also answers account deletion's questions about a user's teams. */
export class TypeOrmTeamRepository implements TeamRepository, TeamOwnership {
  constructor(private readonly manager: EntityManager) {}

  async insert(team: Team): Promise<void> {
    const row = team.toSnapshot();
    await sql(this.manager, `INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)`, [row.id, row.name, row.createdAt]);
  }

  async findById(teamId: string): Promise<Team | null> {
    const { rows } = await sql<TeamRow>(this.manager, `SELECT id, name, created_at AS "createdAt" FROM teams WHERE id = $1`, [teamId]);
    return rows[0] ? toTeam(rows[0]) : null;
  }

  /**
   * FOR NO KEY UPDATE: a change to the owners waits for any other one on the same team to commit, and
   * then counts again. It does not block the key-share locks of inserts that merely reference the team.
   */
  async lock(teamId: string): Promise<Team | null> {
    const { rows } = await sql<TeamRow>(
      this.manager,
      `SELECT id, name, created_at AS "createdAt" FROM teams WHERE id = $1 FOR NO KEY UPDATE`,
      [teamId],
    );
    return rows[0] ? toTeam(rows[0]) : null;
  }

  async rename(teamId: string, name: string): Promise<void> {
    await sql(this.manager, `UPDATE teams SET name = $2 WHERE id = $1`, [teamId, name]);
  }

  async delete(teamId: string): Promise<void> {
    await sql(this.manager, `DELETE FROM teams WHERE id = $1`, [teamId]);
  }

  /** ON CONFLICT rather than catching unique_violation, which would abort the whole transaction. */
  async addMember(membership: Membership): Promise<Result<void, AlreadyMember>> {
    const { rows } = await sql(
      this.manager,
      `INSERT INTO team_memberships (team_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (team_id, user_id) DO NOTHING RETURNING user_id`,
      [membership.teamId, membership.userId, membership.role, membership.joinedAt],
    );
    return rows.length === 1 ? ok() : fail(new AlreadyMember());
  }

  async findMembership(teamId: string, userId: string): Promise<Membership | null> {
    const { rows } = await sql<MembershipRow>(
      this.manager,
      `SELECT ${MEMBERSHIP} FROM team_memberships WHERE team_id = $1 AND user_id = $2`,
      [teamId, userId],
    );
    return rows[0] ? toMembership(rows[0]) : null;
  }

  async listMembers(teamId: string): Promise<TeamMember[]> {
    const { rows } = await sql<MembershipRow & { email: string }>(
      this.manager,
      `SELECT m.team_id AS "teamId", m.user_id AS "userId", m.role, m.joined_at AS "joinedAt", u.email
         FROM team_memberships m JOIN users u ON u.id = m.user_id
        WHERE m.team_id = $1 ORDER BY m.joined_at, m.user_id COLLATE "C"`,
      [teamId],
    );
    return rows.map((row) => ({ ...toMembership(row), email: row.email }));
  }

  async listForUser(userId: string): Promise<Array<{ team: Team; role: TeamRole }>> {
    const { rows } = await sql<TeamRow & { role: string }>(
      this.manager,
      `SELECT t.id, t.name, t.created_at AS "createdAt", m.role
         FROM team_memberships m JOIN teams t ON t.id = m.team_id
        WHERE m.user_id = $1 ORDER BY t.name COLLATE "C", t.id COLLATE "C"`,
      [userId],
    );
    return rows.map(({ role, ...team }) => ({ team: toTeam(team), role: role as TeamRole }));
  }

  async countOwners(teamId: string): Promise<number> {
    const { rows } = await sql<{ n: number }>(
      this.manager,
      `SELECT count(*)::int AS n FROM team_memberships WHERE team_id = $1 AND role = 'owner'`,
      [teamId],
    );
    return rows[0]?.n ?? 0;
  }

  async changeRole(teamId: string, userId: string, role: TeamRole): Promise<void> {
    await sql(this.manager, `UPDATE team_memberships SET role = $3 WHERE team_id = $1 AND user_id = $2`, [teamId, userId, role]);
  }

  async removeMember(teamId: string, userId: string): Promise<void> {
    await sql(this.manager, `DELETE FROM team_memberships WHERE team_id = $1 AND user_id = $2`, [teamId, userId]);
  }

  /** Served by the expression index on the event's team id (auth_events_team_id_idx). */
  async invitationActivity(teamId: string, limit: number): Promise<AuthEvent[]> {
    if (!(limit >= 1)) return [];
    const { rows } = await sql<AuthEventRow>(
      this.manager,
      `SELECT id, type, user_id AS "userId", at, ip, user_agent AS "userAgent", detail FROM auth_events
        WHERE (detail->>'teamId') = $1 AND type = ANY($2) ORDER BY seq DESC LIMIT $3`,
      [teamId, [...INVITATION_EVENTS], Math.floor(limit)],
    );
    return rows.map(toAuthEvent);
  }

  /** The same row locks as the owner changes take, in id order so two deletions never deadlock. */
  async teamsLeftWithoutOwner(userId: string): Promise<string[]> {
    await sql(
      this.manager,
      `SELECT t.id FROM teams t JOIN team_memberships m ON m.team_id = t.id
        WHERE m.user_id = $1 ORDER BY t.id FOR NO KEY UPDATE OF t`,
      [userId],
    );
    const { rows } = await sql<{ id: string }>(
      this.manager,
      `SELECT m.team_id AS id FROM team_memberships m
        WHERE m.user_id = $1 AND m.role = 'owner'
          AND NOT EXISTS (SELECT 1 FROM team_memberships o WHERE o.team_id = m.team_id AND o.role = 'owner' AND o.user_id <> $1)
          AND EXISTS (SELECT 1 FROM team_memberships o WHERE o.team_id = m.team_id AND o.user_id <> $1)`,
      [userId],
    );
    return rows.map((row) => row.id);
  }

  async deleteTeamsOnlyOf(userId: string): Promise<void> {
    await sql(
      this.manager,
      `DELETE FROM teams t WHERE t.id IN (SELECT team_id FROM team_memberships WHERE user_id = $1)
         AND NOT EXISTS (SELECT 1 FROM team_memberships o WHERE o.team_id = t.id AND o.user_id <> $1)`,
      [userId],
    );
  }
}

const OPEN = `accepted_at IS NULL AND declined_at IS NULL AND invalidated_at IS NULL`;
const INVITATION = `id, team_id AS "teamId", email, role, token_hash AS "tokenHash", invited_by AS "invitedBy",
  created_at AS "createdAt", expires_at AS "expiresAt", accepted_at AS "acceptedAt", declined_at AS "declinedAt",
  invalidated_at AS "invalidatedAt"`;
const CLOSING_COLUMN = { accepted: "accepted_at", declined: "declined_at", revoked: "invalidated_at" } as const;

export class TypeOrmInvitationRepository implements InvitationRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(invitation: Invitation): Promise<void> {
    await insertOne(this.manager, InvitationSchema, toInvitationRow(invitation));
  }

  async findByTokenHash(tokenHash: string): Promise<Invitation | null> {
    const row = await selectOne(this.manager, InvitationSchema, "tokenHash", tokenHash);
    return row ? toInvitation(row) : null;
  }

  async findById(teamId: string, invitationId: string): Promise<Invitation | null> {
    const row = await selectOne(this.manager, InvitationSchema, "id", invitationId);
    return row && row.teamId === teamId ? toInvitation(row) : null;
  }

  async listPending(teamId: string, now: Date): Promise<Invitation[]> {
    const { rows } = await sql<InvitationRow>(
      this.manager,
      `SELECT ${INVITATION} FROM team_invitations WHERE team_id = $1 AND ${OPEN} AND expires_at > $2
        ORDER BY created_at DESC, id COLLATE "C"`,
      [teamId, now],
    );
    return rows.map(toInvitation);
  }

  async voidOpen(teamId: string, email: string, at: Date): Promise<void> {
    await sql(this.manager, `UPDATE team_invitations SET invalidated_at = $3 WHERE team_id = $1 AND email = $2 AND ${OPEN}`, [
      teamId,
      email,
      at,
    ]);
  }

  /** One conditional UPDATE: concurrent callers serialise on the row and only the first still finds it open. */
  async close(invitationId: string, outcome: "accepted" | "declined" | "revoked", at: Date): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      `UPDATE team_invitations SET ${CLOSING_COLUMN[outcome]} = $2 WHERE id = $1 AND ${OPEN} AND expires_at > $2`,
      [invitationId, at],
    );
    return affected === 1;
  }
}
