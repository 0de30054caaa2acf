import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { UseCasePorts } from "../shared/use-case-ports";
import type { BillingProvider } from "./billing-provider.port";
import type { BillingEventLog, BillingTeams, SubscriptionRepository } from "./billing-repositories.port";

/** What the billing use cases store: subscriptions, applied event ids, and a view of teams. */
export interface BillingStores extends SharedStores {
  readonly subscriptions: SubscriptionRepository;
  readonly billingEvents: BillingEventLog;
  readonly teams: BillingTeams;
}

/** Billing's settings: the public origin the provider sends payers back to. */
export interface BillingSettings {
  readonly appUrl: string;
}

/** The shared ports, plus the payment provider that only billing uses. */
export type BillingPorts = UseCasePorts<BillingStores> & {
  readonly billing: BillingProvider;
  readonly billingSettings: BillingSettings;
};
