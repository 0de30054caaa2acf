import { InvalidToken, Unauthenticated, type EmailNotVerified } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { Team } from "../../domain/team/team";
import type { AlreadyMember, InvitationEmailMismatch } from "../../domain/team/team-errors";
import type { TeamRole } from "../../domain/team/team-role";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import type { TeamStores } from "./team-stores";

export interface AcceptInvitationInput {
  readonly userId: string;
  /** The secret from the mailed link. */
  readonly token: string;
  readonly context?: RequestContext;
}

export interface AcceptInvitationOutput {
  readonly team: Team;
  readonly role: TeamRole;
}

export type AcceptInvitationError = Unauthenticated | InvalidToken | EmailNotVerified | InvitationEmailMismatch | AlreadyMember;

/**
 * Joins the team an invitation is for. Only the signed-in user whose verified address is the invited
 * one may; the link works once, also when two requests present it at the same time.
 */
export class AcceptInvitation {
  private readonly events: AuthEvents;

  constructor(
    private readonly uow: UnitOfWork<TeamStores>,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: AcceptInvitationInput): Promise<Result<AcceptInvitationOutput, AcceptInvitationError>> {
    if (typeof input.token !== "string" || input.token.length === 0) return fail(new InvalidToken());
    const hash = this.randomTokens.hash(input.token);
    return this.uow.run(async (stores) => {
      const now = this.clock.now();
      const user = await stores.users.findById(input.userId);
      if (!user) return fail(new Unauthenticated());
      const invitation = await stores.invitations.findByTokenHash(hash);
      if (!invitation) return fail(new InvalidToken());
      const usable = invitation.isUsable(hash, now);
      if (!usable.ok) return usable;
      const acceptable = invitation.mayBeAcceptedBy(user);
      if (!acceptable.ok) return acceptable;
      const team = await stores.teams.lock(invitation.teamId);
      if (!team || !(await stores.invitations.close(invitation.id, "accepted", now))) return fail(new InvalidToken());
      const joined = await stores.teams.addMember({ teamId: team.id, userId: user.id, role: invitation.role, joinedAt: now });
      if (!joined.ok) return joined;
      await this.events.record(stores.events, "team.invitation-accepted", user.id, input.context, {
        teamId: team.id,
        invitationId: invitation.id,
        role: invitation.role,
      });
      return ok({ team, role: invitation.role });
    });
  }
}
