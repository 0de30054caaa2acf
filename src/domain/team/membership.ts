import type { TeamRole } from "./team-role";

/** One user's place in one team; (team, user) is unique. */
export interface Membership {
  readonly teamId: string;
  readonly userId: string;
  readonly role: TeamRole;
  readonly joinedAt: Date;
}

/** A member as the team page shows them: the membership and the member's current address. */
export interface TeamMember extends Membership {
  readonly email: string;
}
