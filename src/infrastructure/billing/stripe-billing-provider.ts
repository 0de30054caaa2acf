import Stripe from "stripe";
import type { BillingProvider, CheckoutRequest } from "../../application/billing";
import type { Clock } from "../../application/shared/ports/clock.port";
import type { BillingEvent, ProviderSubscription } from "../../domain/billing/billing-event";
import { BillingProviderUnavailable, InvalidSignature } from "../../domain/billing/billing-errors";
import { isSubscriptionStatus, type PaidPlan } from "../../domain/billing/subscription";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { StripeConfig } from "../config";
import { verifySignedPayload } from "./webhook-signature";

/** The metadata key that carries our team id on Stripe's checkout sessions and subscriptions. */
export const TEAM_METADATA_KEY = "team_id";

interface StripeEventShape {
  readonly id: string;
  readonly type: string;
  readonly created: number;
  readonly data: { readonly object: Record<string, unknown> };
}

const idOf = (value: unknown): string | null =>
  typeof value === "string" ? value : value && typeof value === "object" && typeof (value as { id?: unknown }).id === "string" ? (value as { id: string }).id : null;

/**
 * Stripe Checkout (subscription mode, the team as client reference), the customer portal, and signed
 * webhooks. An event's own copy of the subscription is never trusted: on checkout.session.completed
 * and customer.subscription.* the subscription is read again from Stripe, so a delayed or replayed
 * event carries today's state, and plan and price come from Stripe, never from our client.
 */
export class StripeBillingProvider implements BillingProvider {
  readonly configured = true;
  private readonly stripe: Stripe;

  constructor(
    private readonly config: StripeConfig,
    private readonly clock: Clock,
    private readonly log: Pick<Console, "warn"> = console,
  ) {
    this.stripe = new Stripe(config.secretKey, {
      maxNetworkRetries: 2,
      timeout: 15_000,
      ...(config.api ? { host: config.api.host, port: config.api.port, protocol: config.api.protocol } : {}),
    });
  }

  async startCheckout(request: CheckoutRequest): Promise<Result<{ url: string }, BillingProviderUnavailable>> {
    return this.call(async () => {
      const session = await this.stripe.checkout.sessions.create({
        mode: "subscription",
        line_items: [{ price: this.config.prices[request.plan], quantity: 1 }],
        client_reference_id: request.teamId,
        metadata: { [TEAM_METADATA_KEY]: request.teamId },
        subscription_data: { metadata: { [TEAM_METADATA_KEY]: request.teamId } },
        ...(request.customerId ? { customer: request.customerId } : { customer_email: request.customerEmail }),
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
      });
      return session.url;
    });
  }

  async openPortal(request: { customerId: string; returnUrl: string }): Promise<Result<{ url: string }, BillingProviderUnavailable>> {
    return this.call(async () => {
      const session = await this.stripe.billingPortal.sessions.create({ customer: request.customerId, return_url: request.returnUrl });
      return session.url;
    });
  }

  async verifyEvent(payload: string, signature: string | null): Promise<Result<BillingEvent, InvalidSignature | BillingProviderUnavailable>> {
    const event = (await verifySignedPayload(payload, signature, this.config.webhookSecret, this.clock.now())) as StripeEventShape | null;
    if (!event || typeof event.id !== "string" || typeof event.type !== "string" || typeof event.created !== "number") {
      return fail(new InvalidSignature());
    }
    const ignored: BillingEvent = { kind: "ignored", id: event.id, type: event.type };
    const object = event.data?.object ?? {};
    let subscriptionId: string | null = null;
    let teamHint: string | null = null;
    if (event.type === "checkout.session.completed") {
      if (object.mode !== "subscription") return ok(ignored);
      subscriptionId = idOf(object.subscription);
      teamHint = typeof object.client_reference_id === "string" ? object.client_reference_id : null;
    } else if (event.type.startsWith("customer.subscription.")) {
      subscriptionId = idOf(object.id);
    } else {
      return ok(ignored);
    }
    if (!subscriptionId) return ok(ignored);

    let subscription: Stripe.Subscription;
    try {
      subscription = await this.stripe.subscriptions.retrieve(subscriptionId);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return ok(ignored);
      this.log.warn(`[billing] could not read subscription ${subscriptionId} from Stripe: ${(error as Error).message}`);
      return fail(new BillingProviderUnavailable());
    }
    const state = this.toProviderSubscription(subscription, teamHint);
    if (!state) return ok(ignored);
    return ok({ kind: "subscription", id: event.id, occurredAt: new Date(event.created * 1000), subscription: state });
  }

  private toProviderSubscription(subscription: Stripe.Subscription, teamHint: string | null): ProviderSubscription | null {
    const item = subscription.items.data[0];
    const plan = (Object.keys(this.config.prices) as PaidPlan[]).find((name) => this.config.prices[name] === item?.price.id);
    const customerId = idOf(subscription.customer);
    if (!plan || !customerId || !isSubscriptionStatus(subscription.status)) {
      // A price that is not one of our plans (or a status Stripe added since): not ours to act on.
      this.log.warn(`[billing] ignoring subscription ${subscription.id}: price ${item?.price.id ?? "none"}, status ${subscription.status}`);
      return null;
    }
    const metadataTeam = subscription.metadata?.[TEAM_METADATA_KEY];
    // Since API version 2025-03-31 the period lives on the items; a set cancel_at ends it earlier.
    const periodEnd = subscription.cancel_at ?? item?.current_period_end ?? null;
    return {
      teamId: metadataTeam || teamHint || null,
      customerId,
      subscriptionId: subscription.id,
      plan,
      status: subscription.status,
      currentPeriodEnd: periodEnd === null ? null : new Date(periodEnd * 1000),
      cancelAtPeriodEnd: subscription.status !== "canceled" && (subscription.cancel_at_period_end || subscription.cancel_at !== null),
    };
  }

  private async call(work: () => Promise<string | null>): Promise<Result<{ url: string }, BillingProviderUnavailable>> {
    try {
      const url = await work();
      if (!url) return fail(new BillingProviderUnavailable());
      return ok({ url });
    } catch (error) {
      this.log.warn(`[billing] Stripe call failed: ${(error as Error).message}`);
      return fail(new BillingProviderUnavailable());
    }
  }
}
