import { InvalidToken } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import type { TeamStores } from "./team-stores";

export interface DeclineInvitationInput {
  readonly userId: string;
  readonly token: string;
  readonly context?: RequestContext;
}

/**
 * Turns an invitation down: its link stops working. Holding the mailed secret is what entitles one to
 * decline, as with any link the product mails.
 */
export class DeclineInvitation {
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: TeamStores,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: DeclineInvitationInput): Promise<Result<void, InvalidToken>> {
    if (typeof input.token !== "string" || input.token.length === 0) return fail(new InvalidToken());
    const hash = this.randomTokens.hash(input.token);
    const now = this.clock.now();
    const invitation = await this.stores.invitations.findByTokenHash(hash);
    if (!invitation || !invitation.isUsable(hash, now).ok) return fail(new InvalidToken());
    if (!(await this.stores.invitations.close(invitation.id, "declined", now))) return fail(new InvalidToken());
    await this.events.record(this.stores.events, "team.invitation-declined", input.userId, input.context, {
      teamId: invitation.teamId,
      invitationId: invitation.id,
    });
    return ok();
  }
}
