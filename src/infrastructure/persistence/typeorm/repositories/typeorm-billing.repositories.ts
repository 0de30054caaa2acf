import type { EntityManager } from "typeorm";
import type { BillingEventLog, SubscriptionRepository } from "../../../../application/billing/billing-repositories.port";
import type { TeamSubscriptionSnapshot } from "../../../../domain/billing/subscription";
import { toSubscription, type SubscriptionRow } from "../schemas/billing.schema";
import { sql } from "../sql";

const SUBSCRIPTION = `team_id AS "teamId", plan, status, current_period_end AS "currentPeriodEnd",
  cancel_at_period_end AS "cancelAtPeriodEnd", customer_id AS "customerId", subscription_id AS "subscriptionId",
  last_event_at AS "lastEventAt", updated_at AS "updatedAt"`;

export class TypeOrmSubscriptionRepository implements SubscriptionRepository {
  constructor(private readonly manager: EntityManager) {}

  async findByTeam(teamId: string): Promise<TeamSubscriptionSnapshot | null> {
    const { rows } = await sql<SubscriptionRow>(this.manager, `SELECT ${SUBSCRIPTION} FROM team_subscriptions WHERE team_id = $1`, [teamId]);
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async findTeamByCustomer(customerId: string): Promise<string | null> {
    const { rows } = await sql<{ teamId: string }>(
      this.manager,
      `SELECT team_id AS "teamId" FROM team_subscriptions WHERE customer_id = $1 ORDER BY last_event_at DESC LIMIT 1`,
      [customerId],
    );
    return rows[0]?.teamId ?? null;
  }

  /**
   * One statement: the upsert's WHERE keeps the stored row when it came from a newer event, and the
   * row lock ON CONFLICT takes serialises concurrent events of one team.
   */
  async saveIfNotOlder(s: TeamSubscriptionSnapshot): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      `INSERT INTO team_subscriptions (team_id, plan, status, current_period_end, cancel_at_period_end, customer_id, subscription_id, last_event_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (team_id) DO UPDATE SET plan = EXCLUDED.plan, status = EXCLUDED.status,
         current_period_end = EXCLUDED.current_period_end, cancel_at_period_end = EXCLUDED.cancel_at_period_end,
         customer_id = EXCLUDED.customer_id, subscription_id = EXCLUDED.subscription_id,
         last_event_at = EXCLUDED.last_event_at, updated_at = EXCLUDED.updated_at
       WHERE team_subscriptions.last_event_at <= EXCLUDED.last_event_at
       RETURNING team_id`,
      [s.teamId, s.plan, s.status, s.currentPeriodEnd, s.cancelAtPeriodEnd, s.customerId, s.subscriptionId, s.lastEventAt, s.updatedAt],
    );
    return affected > 0;
  }
}

export class TypeOrmBillingEventLog implements BillingEventLog {
  constructor(private readonly manager: EntityManager) {}

  /** A concurrent insert of the same id waits for the first to commit, then finds the conflict. */
  async recordApplied(eventId: string, at: Date): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      `INSERT INTO billing_events (id, applied_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [eventId, at],
    );
    return affected > 0;
  }
}
