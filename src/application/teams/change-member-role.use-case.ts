import { InvalidInput, NotFound } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { Membership } from "../../domain/team/membership";
import type { Forbidden, LastOwner } from "../../domain/team/team-errors";
import { isTeamRole, TeamRules } from "../../domain/team/team-role";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import type { TeamStores } from "./team-stores";

export interface ChangeMemberRoleInput {
  readonly userId: string;
  readonly teamId: string;
  readonly memberId: string;
  readonly role: string;
  readonly context?: RequestContext;
}

/**
 * Changes a member's role within the ceiling (only owners grant or take `owner`). The team row is
 * locked before the owners are counted, so the last owner cannot be demoted, also by two owners
 * demoting each other at the same moment.
 */
export class ChangeMemberRole {
  private readonly events: AuthEvents;

  constructor(
    private readonly uow: UnitOfWork<TeamStores>,
    randomTokens: RandomTokens,
    clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: ChangeMemberRoleInput): Promise<Result<Membership, NotFound | Forbidden | LastOwner | InvalidInput>> {
    if (!isTeamRole(input.role)) {
      const message = "Choose the role: owner, admin or member.";
      return fail(new InvalidInput(message, { role: message }));
    }
    const to = input.role;
    return this.uow.run(async (stores) => {
      const team = await stores.teams.lock(input.teamId);
      const actor = team && (await stores.teams.findMembership(team.id, input.userId));
      if (!team || !actor) return fail(new NotFound("Team"));
      const target = await stores.teams.findMembership(team.id, input.memberId);
      if (!target) return fail(new NotFound("Member"));
      const allowed = TeamRules.mayChangeRole(actor.role, target.role, to);
      if (!allowed.ok) return allowed;
      const keeps = TeamRules.keepsAnOwner(await stores.teams.countOwners(team.id), target.role, to);
      if (!keeps.ok) return keeps;
      if (target.role === to) return ok(target);
      await stores.teams.changeRole(team.id, target.userId, to);
      await this.events.record(stores.events, "team.role-changed", input.userId, input.context, {
        teamId: team.id,
        memberId: target.userId,
        from: target.role,
        to,
      });
      return ok({ ...target, role: to });
    });
  }
}
