import { InvalidToken } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { TeamRole } from "../../domain/team/team-role";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { TeamStores } from "./team-stores";

export interface GetInvitationInput {
  readonly token: string;
}

/** What the invitation page shows before anyone decides. */
export interface InvitationView {
  readonly teamName: string;
  /** The inviter's current address; null once their account is gone. */
  readonly invitedBy: string | null;
  readonly email: string;
  readonly role: TeamRole;
  readonly expiresAt: Date;
}

/** Reads an open invitation by its link's secret without using it up: a GET never consumes a link. */
export class GetInvitation {
  constructor(
    private readonly stores: TeamStores,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {}

  async execute(input: GetInvitationInput): Promise<Result<InvitationView, InvalidToken>> {
    if (typeof input.token !== "string" || input.token.length === 0) return fail(new InvalidToken());
    const hash = this.randomTokens.hash(input.token);
    const invitation = await this.stores.invitations.findByTokenHash(hash);
    if (!invitation || !invitation.isUsable(hash, this.clock.now()).ok) return fail(new InvalidToken());
    const team = await this.stores.teams.findById(invitation.teamId);
    if (!team) return fail(new InvalidToken());
    const inviter = invitation.invitedBy ? await this.stores.users.findById(invitation.invitedBy) : null;
    return ok({
      teamName: team.name,
      invitedBy: inviter?.email ?? null,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
    });
  }
}
