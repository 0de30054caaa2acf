import type { TeamSubscriptionSnapshot } from "../../domain/billing/subscription";
import type { Membership } from "../../domain/team/membership";

export interface SubscriptionRepository {
  findByTeam(teamId: string): Promise<TeamSubscriptionSnapshot | null>;
  /** The team whose subscription is held by this customer at the provider. */
  findTeamByCustomer(customerId: string): Promise<string | null>;
  /**
   * Stores the team's subscription unless what is stored came from a newer event (`lastEventAt`
   * later than this one's): one atomic statement, so concurrent events cannot interleave. True when
   * stored.
   */
  saveIfNotOlder(subscription: TeamSubscriptionSnapshot): Promise<boolean>;
}

export interface BillingEventLog {
  /**
   * Records a provider event id as applied. Uniqueness is the store's: of any number of concurrent
   * callers with one id, exactly one gets true (the others wait for it and get false).
   */
  recordApplied(eventId: string, at: Date): Promise<boolean>;
}

/**
 * What billing needs to know of teams, in its own words (the teams capability's repository serves it
 * where the capabilities meet): who is a member with which role, and whether a team exists.
 */
export interface BillingTeams {
  findMembership(teamId: string, userId: string): Promise<Membership | null>;
  findById(teamId: string): Promise<{ readonly id: string; readonly name: string } | null>;
}
