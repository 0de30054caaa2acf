import { NotFound } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { Forbidden, LastOwner } from "../../domain/team/team-errors";
import { TeamRules } from "../../domain/team/team-role";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import type { TeamStores } from "./team-stores";

export interface RemoveMemberInput {
  readonly userId: string;
  readonly teamId: string;
  /** The actor's own id to leave the team. */
  readonly memberId: string;
  readonly context?: RequestContext;
}

/**
 * Removes a member, or lets one leave. The team row is locked before the owners are counted, so two
 * owners leaving at once leave exactly one owner behind.
 */
export class RemoveMember {
  private readonly events: AuthEvents;

  constructor(
    private readonly uow: UnitOfWork<TeamStores>,
    randomTokens: RandomTokens,
    clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: RemoveMemberInput): Promise<Result<void, NotFound | Forbidden | LastOwner>> {
    return this.uow.run(async (stores) => {
      const team = await stores.teams.lock(input.teamId);
      const actor = team && (await stores.teams.findMembership(team.id, input.userId));
      if (!team || !actor) return fail(new NotFound("Team"));
      const target = await stores.teams.findMembership(team.id, input.memberId);
      if (!target) return fail(new NotFound("Member"));
      const allowed = TeamRules.mayRemove(actor, target);
      if (!allowed.ok) return allowed;
      const keeps = TeamRules.keepsAnOwner(await stores.teams.countOwners(team.id), target.role, null);
      if (!keeps.ok) return keeps;
      await stores.teams.removeMember(team.id, target.userId);
      const leaving = target.userId === input.userId;
      await this.events.record(stores.events, leaving ? "team.left" : "team.member-removed", input.userId, input.context, {
        teamId: team.id,
        memberId: target.userId,
      });
      return ok();
    });
  }
}
