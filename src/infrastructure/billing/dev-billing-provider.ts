import { createHmac, randomBytes } from "node:crypto";
import type { BillingProvider, CheckoutRequest } from "../../application/billing";
import type { Clock } from "../../application/shared/ports/clock.port";
import type { BillingEvent } from "../../domain/billing/billing-event";
import { InvalidSignature } from "../../domain/billing/billing-errors";
import { isSubscriptionStatus, type SubscriptionStatus } from "../../domain/billing/subscription";
import { fail, ok, type Result } from "../../domain/shared/result";
import { DevCheckoutTokens, type DevCheckoutClaims } from "./dev-checkout-token";
import { signPayload, verifySignedPayload } from "./webhook-signature";

/** What the dev checkout page shows: the team, the plan and its price, and the subscription so far. */
export interface DevCheckoutView extends DevCheckoutClaims {
  readonly priceLabel: string;
  readonly subscription: DevSubscription | null;
}

export type DevCheckoutAction = "pay" | "cancel-at-period-end" | "cancel-now";

interface DevSubscription {
  readonly subscriptionId: string;
  readonly status: SubscriptionStatus;
  readonly currentPeriodEnd: number;
  readonly cancelAtPeriodEnd: boolean;
}

const SESSION_TTL_MS = 60 * 60 * 1000;
const PERIOD_MS = 30 * 24 * 60 * 60 * 1000;
export const DEV_PRO_PRICE_LABEL = "$10.00 / month (dev checkout: no money moves)";

const randomId = (prefix: string) => `${prefix}_dev_${randomBytes(12).toString("hex")}`;

/**
 * Stands in for Stripe outside production when no Stripe key is configured, like the dev mailbox
 * stands in for SMTP: checkout and portal are /dev/billing, and each button there delivers an event
 * signed exactly as Stripe signs its own (with a secret derived from the session secret) to the same
 * webhook route. The subscriptions it "sells" live in this process only, as Stripe's live at Stripe.
 */
export class DevBillingProvider implements BillingProvider {
  readonly configured = true;
  private readonly tokens: DevCheckoutTokens;
  private readonly webhookSecret: string;
  private readonly subscriptions = new Map<string, DevSubscription>();

  constructor(
    private readonly options: { appUrl: string; secret: string },
    private readonly clock: Clock,
  ) {
    this.tokens = new DevCheckoutTokens(createHmac("sha256", options.secret).update("dev-checkout-links").digest("base64url"));
    this.webhookSecret = `whsec_${createHmac("sha256", options.secret).update("dev-checkout-webhooks").digest("base64url")}`;
  }

  async startCheckout(request: CheckoutRequest): Promise<Result<{ url: string }, never>> {
    return ok({
      url: this.link({
        mode: "checkout",
        teamId: request.teamId,
        teamName: request.teamName,
        plan: request.plan,
        customerId: request.customerId ?? randomId("cus"),
        returnUrl: request.successUrl,
        cancelUrl: request.cancelUrl,
      }),
    });
  }

  async openPortal(request: { teamId: string; teamName: string; customerId: string; returnUrl: string }): Promise<Result<{ url: string }, never>> {
    return ok({
      url: this.link({
        mode: "portal",
        teamId: request.teamId,
        teamName: request.teamName,
        plan: "pro",
        customerId: request.customerId,
        returnUrl: request.returnUrl,
        cancelUrl: null,
      }),
    });
  }

  async verifyEvent(payload: string, signature: string | null): Promise<Result<BillingEvent, InvalidSignature>> {
    const event = (await verifySignedPayload(payload, signature, this.webhookSecret, this.clock.now())) as {
      id?: unknown;
      type?: unknown;
      data?: { object?: Record<string, unknown> };
    } | null;
    if (!event || typeof event.id !== "string" || typeof event.type !== "string") return fail(new InvalidSignature());
    const o = event.data?.object ?? {};
    if (!event.type.startsWith("customer.subscription.") || !isSubscriptionStatus(o.status) || typeof o.occurred_at_ms !== "number") {
      return ok({ kind: "ignored", id: event.id, type: event.type });
    }
    return ok({
      kind: "subscription",
      id: event.id,
      occurredAt: new Date(o.occurred_at_ms),
      subscription: {
        teamId: typeof o.team_id === "string" && o.team_id ? o.team_id : null,
        customerId: String(o.customer),
        subscriptionId: String(o.id),
        plan: "pro",
        status: o.status,
        currentPeriodEnd: typeof o.current_period_end_ms === "number" ? new Date(o.current_period_end_ms) : null,
        cancelAtPeriodEnd: o.cancel_at_period_end === true,
      },
    });
  }

  /** The dev checkout page's view of a link; null when the link is forged or expired. */
  describe(token: unknown): DevCheckoutView | null {
    const claims = this.tokens.read(token, this.clock.now());
    if (!claims) return null;
    return { ...claims, priceLabel: DEV_PRO_PRICE_LABEL, subscription: this.subscriptions.get(claims.customerId) ?? null };
  }

  /**
   * What pressing a button on the dev checkout does at "the provider": the subscription changes, and
   * the signed event that tells the app is returned for delivery to its webhook route.
   */
  async act(token: unknown, action: DevCheckoutAction): Promise<{ payload: string; signature: string; returnUrl: string } | null> {
    const view = this.describe(token);
    if (!view) return null;
    const now = this.clock.now().getTime();
    const current = view.subscription;
    let next: DevSubscription;
    let type: string;
    if (action === "pay") {
      // A checkout session completes once: a second press must not start a second subscription.
      if (view.mode !== "checkout" || (current && current.status !== "canceled")) return null;
      next = { subscriptionId: randomId("sub"), status: "active", currentPeriodEnd: now + PERIOD_MS, cancelAtPeriodEnd: false };
      type = "customer.subscription.created";
    } else {
      if (current?.status === "canceled" || (!current && action !== "cancel-now")) return null;
      // Forgotten since a restart (the dev checkout keeps subscriptions in memory): it can still be ended.
      const known = current ?? { subscriptionId: randomId("sub"), status: "active" as const, currentPeriodEnd: now, cancelAtPeriodEnd: false };
      next = action === "cancel-now" ? { ...known, status: "canceled", cancelAtPeriodEnd: false, currentPeriodEnd: now } : { ...known, cancelAtPeriodEnd: true };
      type = action === "cancel-now" ? "customer.subscription.deleted" : "customer.subscription.updated";
    }
    this.subscriptions.set(view.customerId, next);
    const payload = JSON.stringify({
      id: randomId("evt"),
      object: "event",
      type,
      created: Math.floor(now / 1000),
      data: {
        object: {
          id: next.subscriptionId,
          customer: view.customerId,
          team_id: view.teamId,
          status: next.status,
          current_period_end_ms: next.currentPeriodEnd,
          cancel_at_period_end: next.cancelAtPeriodEnd,
          occurred_at_ms: now,
        },
      },
    });
    return { payload, signature: await signPayload(payload, this.webhookSecret, Math.floor(now / 1000)), returnUrl: view.returnUrl };
  }

  private link(claims: Omit<DevCheckoutClaims, "expiresAt">): string {
    const token = this.tokens.sign({ ...claims, expiresAt: this.clock.now().getTime() + SESSION_TTL_MS });
    return `${this.options.appUrl}/dev/billing?session=${encodeURIComponent(token)}`;
  }
}
