// Teams: teams, their members and roles, and invitations by e-mail.
import type { UseCaseRegistry } from "../shared/use-case-ports";
import { AcceptInvitation } from "./accept-invitation.use-case";
import { ChangeMemberRole } from "./change-member-role.use-case";
import { CreateTeam } from "./create-team.use-case";
import { DeclineInvitation } from "./decline-invitation.use-case";
import { DeleteTeam } from "./delete-team.use-case";
import { GetInvitation } from "./get-invitation.use-case";
import { GetTeam } from "./get-team.use-case";
import { InviteMember } from "./invite-member.use-case";
import { ListTeams } from "./list-teams.use-case";
import { RemoveMember } from "./remove-member.use-case";
import { RenameTeam } from "./rename-team.use-case";
import { RevokeInvitation } from "./revoke-invitation.use-case";
import type { TeamPorts } from "./team-stores";

/** The team use cases, each built from its ports: the one place they are registered. */
export const teamUseCases = {
  createTeam: (p: TeamPorts) => new CreateTeam(p.stores, p.uow, p.randomTokens, p.clock),
  renameTeam: (p: TeamPorts) => new RenameTeam(p.uow),
  deleteTeam: (p: TeamPorts) => new DeleteTeam(p.uow, p.randomTokens, p.clock, p.settings),
  listTeams: (p: TeamPorts) => new ListTeams(p.stores),
  getTeam: (p: TeamPorts) => new GetTeam(p.stores, p.clock),
  inviteMember: (p: TeamPorts) => new InviteMember(p.uow, p.randomTokens, p.rateLimits, p.clock, p.settings, p.metrics),
  revokeInvitation: (p: TeamPorts) => new RevokeInvitation(p.uow, p.randomTokens, p.clock),
  getInvitation: (p: TeamPorts) => new GetInvitation(p.stores, p.randomTokens, p.clock),
  acceptInvitation: (p: TeamPorts) => new AcceptInvitation(p.uow, p.randomTokens, p.clock),
  declineInvitation: (p: TeamPorts) => new DeclineInvitation(p.stores, p.randomTokens, p.clock),
  changeMemberRole: (p: TeamPorts) => new ChangeMemberRole(p.uow, p.randomTokens, p.clock),
  removeMember: (p: TeamPorts) => new RemoveMember(p.uow, p.randomTokens, p.clock),
} satisfies UseCaseRegistry<TeamPorts>;

export type { TeamPorts, TeamStores } from "./team-stores";
export type { InvitationRepository, TeamRepository } from "./team-repositories.port";
export { AcceptInvitation, ChangeMemberRole, CreateTeam, DeclineInvitation, DeleteTeam, GetInvitation, GetTeam };
export { InviteMember, ListTeams, RemoveMember, RenameTeam, RevokeInvitation };
export type { AcceptInvitationInput, AcceptInvitationOutput } from "./accept-invitation.use-case";
export type { CreateTeamInput, CreateTeamOutput } from "./create-team.use-case";
export type { GetInvitationInput, InvitationView } from "./get-invitation.use-case";
export type { GetTeamInput, GetTeamOutput } from "./get-team.use-case";
export type { InviteMemberInput } from "./invite-member.use-case";
