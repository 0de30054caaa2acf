import type { BillingEventLog, SubscriptionRepository } from "../../../application/billing/billing-repositories.port";
import { isNotOlder, type TeamSubscriptionSnapshot } from "../../../domain/billing/subscription";
import type { TableAccess } from "./in-memory-database";

/** One subscription per team; units of work already run one at a time, so the check-and-set is atomic. */
export class InMemorySubscriptionRepository implements SubscriptionRepository {
  constructor(private readonly access: TableAccess) {}

  async findByTeam(teamId: string): Promise<TeamSubscriptionSnapshot | null> {
    const row = this.access.get("subscriptions", teamId);
    return row ? { ...row } : null;
  }

  async findTeamByCustomer(customerId: string): Promise<string | null> {
    return this.access.rows("subscriptions").find((row) => row.customerId === customerId)?.teamId ?? null;
  }

  async saveIfNotOlder(subscription: TeamSubscriptionSnapshot): Promise<boolean> {
    // The foreign key of the SQL table: a subscription belongs to a team that exists.
    if (!this.access.has("teams", subscription.teamId)) throw new Error(`foreign key violation: no team ${subscription.teamId}`);
    if (!isNotOlder(subscription.lastEventAt, this.access.get("subscriptions", subscription.teamId) ?? null)) return false;
    this.access.set("subscriptions", subscription.teamId, { ...subscription });
    return true;
  }
}

export class InMemoryBillingEventLog implements BillingEventLog {
  constructor(private readonly access: TableAccess) {}

  async recordApplied(eventId: string, at: Date): Promise<boolean> {
    if (this.access.has("billingEvents", eventId)) return false;
    this.access.set("billingEvents", eventId, { id: eventId, appliedAt: at });
    return true;
  }
}
