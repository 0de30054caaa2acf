import type { BillingEvent } from "../../domain/billing/billing-event";
import type { BillingNotConfigured, BillingProviderUnavailable, InvalidSignature } from "../../domain/billing/billing-errors";
import type { PaidPlan } from "../../domain/billing/subscription";
import type { Result } from "../../domain/shared/result";

export interface CheckoutRequest {
  readonly teamId: string;
  /** Shown to the payer (dev checkout); Stripe shows the price's product. */
  readonly teamName: string;
  readonly plan: PaidPlan;
  /** The team's customer at the provider, after a first checkout; otherwise one is created. */
  readonly customerId: string | null;
  /** Pre-fills the payer's address on a first checkout. */
  readonly customerEmail: string;
  /** Where the provider sends the payer back (APP_URL-based, never from the request). */
  readonly successUrl: string;
  readonly cancelUrl: string;
}

/**
 * The payment provider in the product's terms: a hosted checkout for a team and a plan, a portal for a
 * customer, and verified, normalised events. Prices and amounts are the provider's (and its
 * configuration's), never the client's. Adapters: Stripe, the dev checkout, and "not configured".
 */
export interface BillingProvider {
  /** False in production with no provider set up: every billing route then answers 503. */
  readonly configured: boolean;
  startCheckout(request: CheckoutRequest): Promise<Result<{ url: string }, BillingNotConfigured | BillingProviderUnavailable>>;
  openPortal(request: { teamId: string; teamName: string; customerId: string; returnUrl: string }): Promise<Result<{ url: string }, BillingNotConfigured | BillingProviderUnavailable>>;
  /**
   * Verifies `signature` over the raw `payload` (with a tolerance on its timestamp) and normalises the
   * event, re-reading the subscription's current state from the provider where there is one.
   */
  verifyEvent(
    payload: string,
    signature: string | null,
  ): Promise<Result<BillingEvent, InvalidSignature | BillingNotConfigured | BillingProviderUnavailable>>;
}
