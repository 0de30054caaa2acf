import { NotFound } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import { Forbidden } from "../../domain/team/team-errors";
import { TeamRules } from "../../domain/team/team-role";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import type { TeamStores } from "./team-stores";

export interface RevokeInvitationInput {
  readonly userId: string;
  readonly teamId: string;
  readonly invitationId: string;
  readonly context?: RequestContext;
}

/** Owners and admins withdraw a pending invitation; its link stops working at once. */
export class RevokeInvitation {
  private readonly events: AuthEvents;

  constructor(
    private readonly uow: UnitOfWork<TeamStores>,
    randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: RevokeInvitationInput): Promise<Result<void, NotFound | Forbidden>> {
    return this.uow.run(async (stores) => {
      const actor = await stores.teams.findMembership(input.teamId, input.userId);
      if (!actor) return fail(new NotFound("Team"));
      if (!TeamRules.managesInvitations(actor.role)) return fail(new Forbidden("Only owners and admins can revoke invitations."));
      // Another team's invitation id is "not found", exactly like an unknown one.
      const invitation = await stores.invitations.findById(input.teamId, input.invitationId);
      const now = this.clock.now();
      if (!invitation || !(await stores.invitations.close(invitation.id, "revoked", now))) return fail(new NotFound("Invitation"));
      await this.events.record(stores.events, "team.invitation-revoked", input.userId, input.context, {
        teamId: input.teamId,
        invitationId: invitation.id,
      });
      return ok();
    });
  }
}
