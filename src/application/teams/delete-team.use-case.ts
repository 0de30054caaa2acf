import { NotFound } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import { Forbidden } from "../../domain/team/team-errors";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import type { TeamStores } from "./team-stores";

export interface DeleteTeamInput {
  readonly userId: string;
  readonly teamId: string;
  readonly context?: RequestContext;
}

/** Owners delete their team, with every membership and invitation of it. */
export class DeleteTeam {
  private readonly events: AuthEvents;

  constructor(
    private readonly uow: UnitOfWork<TeamStores>,
    randomTokens: RandomTokens,
    clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: DeleteTeamInput): Promise<Result<void, NotFound | Forbidden>> {
    return this.uow.run(async (stores) => {
      const team = await stores.teams.lock(input.teamId);
      const actor = team && (await stores.teams.findMembership(team.id, input.userId));
      if (!team || !actor) return fail(new NotFound("Team"));
      if (actor.role !== "owner") return fail(new Forbidden("Only an owner can delete the team."));
      await stores.teams.delete(team.id);
      await this.events.record(stores.events, "team.deleted", input.userId, input.context, { teamId: team.id });
      return ok();
    });
  }
}
