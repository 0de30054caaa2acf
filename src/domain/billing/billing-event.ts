import type { PaidPlan, SubscriptionStatus } from "./subscription";

/** A subscription's state as the provider reports it, in the product's words. */
export interface ProviderSubscription {
  /** The team it was bought for, when the provider carries it (client reference, metadata). */
  readonly teamId: string | null;
  readonly customerId: string;
  readonly subscriptionId: string;
  readonly plan: PaidPlan;
  readonly status: SubscriptionStatus;
  readonly currentPeriodEnd: Date | null;
  readonly cancelAtPeriodEnd: boolean;
}

/**
 * A verified provider event, normalised. `subscription`: the subscription's current state (re-read
 * from the provider, not the event's copy); `ignored`: a type this product does not act on.
 */
export type BillingEvent =
  | { readonly kind: "subscription"; readonly id: string; readonly occurredAt: Date; readonly subscription: ProviderSubscription }
  | { readonly kind: "ignored"; readonly id: string; readonly type: string };
