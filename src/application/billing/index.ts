// Billing: a plan per team, bought at a payment provider (Stripe, or the dev checkout) and kept in
// step by the provider's signed events.
import type { UseCaseRegistry } from "../shared/use-case-ports";
import { ApplyBillingEvent } from "./apply-billing-event.use-case";
import type { BillingPorts } from "./billing-stores";
import { GetTeamBilling } from "./get-team-billing.use-case";
import { OpenBillingPortal } from "./open-billing-portal.use-case";
import { StartCheckout } from "./start-checkout.use-case";

/** The billing use cases, each built from its ports: the one place they are registered. */
export const billingUseCases = {
  startCheckout: (p: BillingPorts) => new StartCheckout(p.stores, p.billing, p.billingSettings, p.clock, p.settings),
  openBillingPortal: (p: BillingPorts) => new OpenBillingPortal(p.stores, p.billing, p.billingSettings, p.clock, p.settings),
  applyBillingEvent: (p: BillingPorts) => new ApplyBillingEvent(p.uow, p.billing, p.clock),
  getTeamBilling: (p: BillingPorts) => new GetTeamBilling(p.stores, p.billing),
} satisfies UseCaseRegistry<BillingPorts>;

export { ApplyBillingEvent, GetTeamBilling, OpenBillingPortal, StartCheckout };
export type { BillingPorts, BillingSettings, BillingStores } from "./billing-stores";
export type { BillingProvider, CheckoutRequest } from "./billing-provider.port";
export type { BillingEventLog, BillingTeams, SubscriptionRepository } from "./billing-repositories.port";
export type { ApplyBillingEventInput, ApplyBillingEventOutcome } from "./apply-billing-event.use-case";
export type { GetTeamBillingInput, TeamBilling } from "./get-team-billing.use-case";
export type { StartCheckoutInput } from "./start-checkout.use-case";
export type { OpenBillingPortalInput } from "./open-billing-portal.use-case";
