import { NotFound, type ReauthenticationRequired } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import { Forbidden } from "../../domain/team/team-errors";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { FreshAuthentication } from "../shared/services/fresh-authentication";
import type { TeamStores } from "./team-stores";

export interface DeleteTeamInput {
  readonly userId: string;
  /** The session asking: deleting a team takes a fresh authentication (step-up). */
  readonly sessionId: string;
  readonly teamId: string;
  readonly context?: RequestContext;
}

/**
 * Owners delete their team, with every membership and invitation of it. Who may is answered before
 * whether the session is fresh, so a stale session learns nothing it could not already see.
 */
export class DeleteTeam {
  private readonly events: AuthEvents;
  private readonly fresh: FreshAuthentication;

  constructor(
    private readonly uow: UnitOfWork<TeamStores>,
    randomTokens: RandomTokens,
    private readonly clock: Clock,
    settings: AuthSettings,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
    this.fresh = new FreshAuthentication(settings.freshAuthMaxAgeSeconds);
  }

  async execute(input: DeleteTeamInput): Promise<Result<void, NotFound | Forbidden | ReauthenticationRequired>> {
    return this.uow.run(async (stores) => {
      const team = await stores.teams.lock(input.teamId);
      const actor = team && (await stores.teams.findMembership(team.id, input.userId));
      if (!team || !actor) return fail(new NotFound("Team"));
      if (actor.role !== "owner") return fail(new Forbidden("Only an owner can delete the team."));
      const fresh = await this.fresh.require(stores.sessions, input.sessionId, this.clock.now());
      if (!fresh.ok) return fresh;
      await stores.teams.delete(team.id);
      await this.events.record(stores.events, "team.deleted", input.userId, input.context, { teamId: team.id });
      return ok();
    });
  }
}
