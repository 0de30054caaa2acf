import type { BillingProvider } from "../../application/billing";
import type { Clock } from "../../application/shared/ports/clock.port";
import type { AppConfig } from "../config";
import { DevBillingProvider } from "./dev-billing-provider";
import { StripeBillingProvider } from "./stripe-billing-provider";
import { UnconfiguredBillingProvider } from "./unconfigured-billing-provider";

export { DevBillingProvider, DEV_PRO_PRICE_LABEL, type DevCheckoutAction, type DevCheckoutView } from "./dev-billing-provider";
export { StripeBillingProvider, TEAM_METADATA_KEY } from "./stripe-billing-provider";
export { UnconfiguredBillingProvider } from "./unconfigured-billing-provider";
export { signPayload, SIGNATURE_TOLERANCE_SECONDS } from "./webhook-signature";

/** Stripe when configured; the dev checkout outside production; "not set up" in production. */
export function createBillingProvider(config: AppConfig, clock: Clock): BillingProvider {
  switch (config.billing.provider) {
    case "stripe":
      return new StripeBillingProvider(config.billing.stripe, clock);
    case "dev":
      return new DevBillingProvider({ appUrl: config.appUrl, secret: config.sessionSecret.current }, clock);
    default:
      return new UnconfiguredBillingProvider();
  }
}
