import type { AuthEvent } from "../../../domain/shared/auth-event";
import { TEAM_NAME_MAX_LENGTH } from "../../../domain/team/team";
import { TEAM_ROLES, TeamRules, type TeamRole } from "../../../domain/team/team-role";
import type { Viewer } from "../shared/session";
import { useCase } from "../shared/use-cases";

/** What the team pages and the invitation page show. */

export interface TeamSummaryView {
  readonly id: string;
  readonly name: string;
  readonly role: TeamRole;
}

export interface TeamPageView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly role: TeamRole;
  readonly members: ReadonlyArray<{ userId: string; email: string; role: TeamRole; joinedAt: Date; you: boolean }>;
  /** Null for members, who do not manage invitations. */
  readonly invitations: ReadonlyArray<{ id: string; email: string; role: TeamRole; expiresAt: Date }> | null;
  /** The team's invitation events in words, newest first; null for members. */
  readonly activity: ReadonlyArray<{ id: string; at: Date; text: string }> | null;
}

function describeActivity(event: AuthEvent, emailOf: (userId: string | null) => string): string {
  const who = emailOf(event.userId);
  switch (event.type) {
    case "team.invited":
      return `${who} invited ${event.detail.email ?? "someone"} as ${event.detail.role ?? "member"}`;
    case "team.invitation-revoked":
      return `${who} revoked an invitation`;
    case "team.invitation-accepted":
      return `${who} accepted an invitation and joined as ${event.detail.role ?? "member"}`;
    case "team.invitation-declined":
      return `${who} declined an invitation`;
    default:
      return `${who}: team activity`;
  }
}

export async function teamsOf(viewer: Viewer): Promise<TeamSummaryView[]> {
  const result = await (await useCase("listTeams")).execute({ userId: viewer.user.id });
  return result.ok ? result.value.map(({ team, role }) => ({ id: team.id, name: team.name, role })) : [];
}

/** The team as the viewer sees it; null when it does not exist or the viewer is not a member. */
export async function teamPageOf(viewer: Viewer, teamId: string): Promise<TeamPageView | null> {
  const result = await (await useCase("getTeam")).execute({ userId: viewer.user.id, teamId });
  if (!result.ok) return null;
  const { team, role, members, invitations, activity } = result.value;
  const emails = new Map(members.map((m) => [m.userId, m.email]));
  const emailOf = (userId: string | null) => (userId && emails.get(userId)) || "Someone no longer in the team";
  return {
    id: team.id,
    name: team.name,
    createdAt: team.createdAt,
    role,
    members: members.map((m) => ({ userId: m.userId, email: m.email, role: m.role, joinedAt: m.joinedAt, you: m.userId === viewer.user.id })),
    invitations: invitations?.map((i) => ({ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt })) ?? null,
    activity: activity?.map((event) => ({ id: event.id, at: event.at, text: describeActivity(event, emailOf) })) ?? null,
  };
}

export interface InvitationPageView {
  readonly teamName: string;
  readonly invitedBy: string | null;
  readonly email: string;
  readonly role: TeamRole;
  readonly expiresAt: Date;
}

/** An open invitation by its link's token; reading it never uses it up. */
export async function invitationOf(token: string): Promise<InvitationPageView | null> {
  const result = await (await useCase("getInvitation")).execute({ token });
  return result.ok ? result.value : null;
}

/** Roles a viewer may invite with, as the domain's role ceiling says. */
export function grantableRoles(role: TeamRole): readonly TeamRole[] {
  return TEAM_ROLES.filter((to) => TeamRules.mayInvite(role, to).ok);
}

export const teamNameMaxLength = TEAM_NAME_MAX_LENGTH;
