/**
 * What deleting an account needs to know of the teams the account belongs to. Declared by identity,
 * the capability that asks, in its own words (team ids, nothing of the team capability's types), so
 * neither capability imports the other; the adapters implement it next to the team stores, where the
 * capabilities meet. Call inside the unit of work that deletes the account.
 */
export interface TeamOwnership {
  /**
   * Locks the user's teams until the unit of work ends (so no co-owner can leave meanwhile), then
   * returns the ids of those the user is the only owner of while other people are members.
   */
  teamsLeftWithoutOwner(userId: string): Promise<string[]>;
  /** Deletes, with their invitations, the teams whose only member is the user. */
  deleteTeamsOnlyOf(userId: string): Promise<void>;
}
