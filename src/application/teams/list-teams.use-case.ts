import { ok, type Result } from "../../domain/shared/result";
import type { Team } from "../../domain/team/team";
import type { TeamRole } from "../../domain/team/team-role";
import type { TeamStores } from "./team-stores";

export interface ListTeamsInput {
  readonly userId: string;
}

/** The teams the user belongs to, with their role in each. */
export class ListTeams {
  constructor(private readonly stores: TeamStores) {}

  async execute(input: ListTeamsInput): Promise<Result<Array<{ team: Team; role: TeamRole }>>> {
    return ok(await this.stores.teams.listForUser(input.userId));
  }
}
