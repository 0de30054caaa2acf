import { EntitySchema } from "typeorm";
import { Invitation } from "../../../../domain/team/invitation";
import type { Membership } from "../../../../domain/team/membership";
import { Team } from "../../../../domain/team/team";
import type { TeamRole } from "../../../../domain/team/team-role";

export interface TeamRow {
  id: string;
  name: string;
  createdAt: Date;
}

export interface MembershipRow {
  teamId: string;
  userId: string;
  role: string;
  joinedAt: Date;
}

export interface InvitationRow {
  id: string;
  teamId: string;
  email: string;
  role: string;
  tokenHash: string;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  declinedAt: Date | null;
  invalidatedAt: Date | null;
}

export const TeamSchema = new EntitySchema<TeamRow>({
  name: "Team",
  tableName: "teams",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "teams_pkey" },
    name: { type: "text" },
    createdAt: { type: "timestamptz", name: "created_at" },
  },
});

/** One row per (team, user): the primary key is the uniqueness of a membership. */
export const MembershipSchema = new EntitySchema<MembershipRow>({
  name: "TeamMembership",
  tableName: "team_memberships",
  columns: {
    teamId: {
      type: "text",
      name: "team_id",
      primary: true,
      primaryKeyConstraintName: "team_memberships_pkey",
      foreignKey: { target: "Team", name: "team_memberships_team_id_fkey", onDelete: "CASCADE" },
    },
    userId: {
      type: "text",
      name: "user_id",
      primary: true,
      primaryKeyConstraintName: "team_memberships_pkey",
      foreignKey: { target: "User", name: "team_memberships_user_id_fkey", onDelete: "CASCADE" },
    },
    role: { type: "text" },
    joinedAt: { type: "timestamptz", name: "joined_at" },
  },
  // "My teams"; the primary key already serves "the members of a team".
  indices: [{ name: "team_memberships_user_id_idx", columns: ["userId"] }],
});

export const InvitationSchema = new EntitySchema<InvitationRow>({
  name: "TeamInvitation",
  tableName: "team_invitations",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "team_invitations_pkey" },
    teamId: {
      type: "text",
      name: "team_id",
      foreignKey: { target: "Team", name: "team_invitations_team_id_fkey", onDelete: "CASCADE" },
    },
    email: { type: "text" },
    role: { type: "text" },
    tokenHash: { type: "text", name: "token_hash" },
    // The link outlives its inviter's account; the page then names no inviter.
    invitedBy: {
      type: "text",
      name: "invited_by",
      nullable: true,
      foreignKey: { target: "User", name: "team_invitations_invited_by_fkey", onDelete: "SET NULL" },
    },
    createdAt: { type: "timestamptz", name: "created_at" },
    expiresAt: { type: "timestamptz", name: "expires_at" },
    acceptedAt: { type: "timestamptz", name: "accepted_at", nullable: true },
    declinedAt: { type: "timestamptz", name: "declined_at", nullable: true },
    invalidatedAt: { type: "timestamptz", name: "invalidated_at", nullable: true },
  },
  indices: [
    { name: "team_invitations_token_hash_key", columns: ["tokenHash"], unique: true },
    // "Pending invitations of a team", and voiding the older links to one address.
    { name: "team_invitations_team_id_email_idx", columns: ["teamId", "email"] },
    { name: "team_invitations_invited_by_idx", columns: ["invitedBy"] },
    // Made by the retention migration (partial or not, TypeORM cannot compare them): declared so schema synchronisation leaves it alone.
    { name: "team_invitations_expires_at_idx", columns: ["expiresAt"], synchronize: false },
  ],
});

export function toTeam(row: TeamRow): Team {
  return Team.restore({ ...row });
}

export function toMembership(row: MembershipRow): Membership {
  return { teamId: row.teamId, userId: row.userId, role: row.role as TeamRole, joinedAt: row.joinedAt };
}

export function toInvitation(row: InvitationRow): Invitation {
  return Invitation.restore({ ...row, role: row.role as TeamRole });
}

export function toInvitationRow(invitation: Invitation): InvitationRow {
  return { ...invitation.toSnapshot() };
}
