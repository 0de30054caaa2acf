import { NotFound, type InvalidInput } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import { teamName, type Team } from "../../domain/team/team";
import { Forbidden } from "../../domain/team/team-errors";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { TeamStores } from "./team-stores";

export interface RenameTeamInput {
  readonly userId: string;
  readonly teamId: string;
  readonly name: string;
}

/** Owners rename their team; to anyone who is not a member the team does not exist. */
export class RenameTeam {
  constructor(private readonly uow: UnitOfWork<TeamStores>) {}

  async execute(input: RenameTeamInput): Promise<Result<Team, NotFound | Forbidden | InvalidInput>> {
    const name = teamName(input.name);
    if (!name.ok) return name;
    return this.uow.run(async (stores) => {
      const team = await stores.teams.lock(input.teamId);
      const actor = team && (await stores.teams.findMembership(team.id, input.userId));
      if (!team || !actor) return fail(new NotFound("Team"));
      if (actor.role !== "owner") return fail(new Forbidden("Only an owner can rename the team."));
      await stores.teams.rename(team.id, name.value);
      team.rename(name.value);
      return ok(team);
    });
  }
}
