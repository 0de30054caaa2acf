import { Unauthenticated, type InvalidInput } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import { Team, teamName } from "../../domain/team/team";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import type { TeamStores } from "./team-stores";

export interface CreateTeamInput {
  readonly userId: string;
  readonly name: string;
  readonly context?: RequestContext;
}

export interface CreateTeamOutput {
  readonly team: Team;
  readonly role: "owner";
}

/** Creates a team whose first and only owner is its creator. */
export class CreateTeam {
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: TeamStores,
    private readonly uow: UnitOfWork<TeamStores>,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: CreateTeamInput): Promise<Result<CreateTeamOutput, Unauthenticated | InvalidInput>> {
    const name = teamName(input.name);
    if (!name.ok) return name;
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    const now = this.clock.now();
    const team = Team.create({ id: this.randomTokens.newId(), name: name.value }, now);
    await this.uow.run(async (stores) => {
      await stores.teams.insert(team);
      await stores.teams.addMember({ teamId: team.id, userId: user.id, role: "owner", joinedAt: now });
      await this.events.record(stores.events, "team.created", user.id, input.context, { teamId: team.id });
    });
    return ok({ team, role: "owner" as const });
  }
}
