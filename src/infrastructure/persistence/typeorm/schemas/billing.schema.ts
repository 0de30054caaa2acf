import { EntitySchema } from "typeorm";
import type { PaidPlan, SubscriptionStatus, TeamSubscriptionSnapshot } from "../../../../domain/billing/subscription";

export interface SubscriptionRow {
  teamId: string;
  plan: string;
  status: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  customerId: string;
  subscriptionId: string;
  lastEventAt: Date;
  updatedAt: Date;
}

export interface BillingEventRow {
  id: string;
  appliedAt: Date;
}

/** One subscription per team (the primary key); it goes with its team. */
export const SubscriptionSchema = new EntitySchema<SubscriptionRow>({
  name: "TeamSubscription",
  tableName: "team_subscriptions",
  columns: {
    teamId: {
      type: "text",
      name: "team_id",
      primary: true,
      primaryKeyConstraintName: "team_subscriptions_pkey",
      foreignKey: { target: "Team", name: "team_subscriptions_team_id_fkey", onDelete: "CASCADE" },
    },
    plan: { type: "text" },
    status: { type: "text" },
    currentPeriodEnd: { type: "timestamptz", name: "current_period_end", nullable: true },
    cancelAtPeriodEnd: { type: "boolean", name: "cancel_at_period_end" },
    customerId: { type: "text", name: "customer_id" },
    subscriptionId: { type: "text", name: "subscription_id" },
    lastEventAt: { type: "timestamptz", name: "last_event_at" },
    updatedAt: { type: "timestamptz", name: "updated_at" },
  },
  // Events that carry no team are matched to one by the provider's customer id.
  indices: [{ name: "team_subscriptions_customer_id_idx", columns: ["customerId"] }],
});

/** The provider's event ids applied so far: the primary key makes each apply at most once. */
export const BillingEventSchema = new EntitySchema<BillingEventRow>({
  name: "BillingEvent",
  tableName: "billing_events",
  columns: {
    id: { type: "text", primary: true, primaryKeyConstraintName: "billing_events_pkey" },
    appliedAt: { type: "timestamptz", name: "applied_at" },
  },
});

export function toSubscription(row: SubscriptionRow): TeamSubscriptionSnapshot {
  return { ...row, plan: row.plan as PaidPlan, status: row.status as SubscriptionStatus };
}
