import type { AuthEvent } from "../../domain/shared/auth-event";
import { NotFound } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { Invitation } from "../../domain/team/invitation";
import type { TeamMember } from "../../domain/team/membership";
import type { Team } from "../../domain/team/team";
import { TeamRules, type TeamRole } from "../../domain/team/team-role";
import type { Clock } from "../shared/ports/clock.port";
import type { TeamStores } from "./team-stores";

export interface GetTeamInput {
  readonly userId: string;
  readonly teamId: string;
}

export interface GetTeamOutput {
  readonly team: Team;
  readonly role: TeamRole;
  readonly members: TeamMember[];
  /** Pending invitations, for owners and admins; null for members, who do not see them. */
  readonly invitations: Invitation[] | null;
  /** The latest invitation events of the team, for owners and admins; null for members. */
  readonly activity: AuthEvent[] | null;
}

const ACTIVITY_LIMIT = 20;

/** A team as one of its members sees it; to anyone else it does not exist. */
export class GetTeam {
  constructor(
    private readonly stores: TeamStores,
    private readonly clock: Clock,
  ) {}

  async execute(input: GetTeamInput): Promise<Result<GetTeamOutput, NotFound>> {
    const actor = await this.stores.teams.findMembership(input.teamId, input.userId);
    const team = actor && (await this.stores.teams.findById(input.teamId));
    if (!actor || !team) return fail(new NotFound("Team"));
    const members = await this.stores.teams.listMembers(team.id);
    const manages = TeamRules.managesInvitations(actor.role);
    const invitations = manages ? await this.stores.invitations.listPending(team.id, this.clock.now()) : null;
    const activity = manages ? await this.stores.teams.invitationActivity(team.id, ACTIVITY_LIMIT) : null;
    return ok({ team, role: actor.role, members, invitations, activity });
  }
}
