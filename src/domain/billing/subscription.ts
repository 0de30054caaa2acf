/** The plans a team can buy. Names only: prices live with the provider and in configuration. */
export const PAID_PLANS = ["pro"] as const;
export type PaidPlan = (typeof PAID_PLANS)[number];
export type Plan = "free" | PaidPlan;

export function isPaidPlan(value: unknown): value is PaidPlan {
  return typeof value === "string" && (PAID_PLANS as readonly string[]).includes(value);
}

/** Stripe's subscription statuses, which the dev checkout uses as well. */
export const SUBSCRIPTION_STATUSES = ["active", "trialing", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired", "paused"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export function isSubscriptionStatus(value: unknown): value is SubscriptionStatus {
  return typeof value === "string" && (SUBSCRIPTION_STATUSES as readonly string[]).includes(value);
}

/** A team's subscription as the provider last told us, and when it told us (the event's time). */
export interface TeamSubscriptionSnapshot {
  readonly teamId: string;
  readonly plan: PaidPlan;
  readonly status: SubscriptionStatus;
  readonly currentPeriodEnd: Date | null;
  readonly cancelAtPeriodEnd: boolean;
  readonly customerId: string;
  readonly subscriptionId: string;
  /** When the provider produced the event this state came from: an older event never overwrites it. */
  readonly lastEventAt: Date;
  readonly updatedAt: Date;
}

/**
 * The paid plan is in force while the subscription is active or trialing. A payment that failed
 * (past_due) ends it until the provider reports it paid again: the provider retries and says so.
 */
export function entitledPlan(subscription: Pick<TeamSubscriptionSnapshot, "plan" | "status"> | null): Plan {
  return subscription && (subscription.status === "active" || subscription.status === "trialing") ? subscription.plan : "free";
}

/** Whether an event of `at` may replace `current`: equal times apply (the later delivery wins). */
export function isNotOlder(at: Date, current: Pick<TeamSubscriptionSnapshot, "lastEventAt"> | null): boolean {
  return current === null || at.getTime() >= current.lastEventAt.getTime();
}
