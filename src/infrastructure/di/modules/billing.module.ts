import { ContainerModule } from "inversify";
import type { BillingProvider, BillingSettings } from "../../../application/billing";
import type { Clock } from "../../../application/shared/ports/clock.port";
import { createBillingProvider, DevBillingProvider } from "../../billing";
import type { AppConfig } from "../../config";
import { TOKENS } from "../tokens";
import { bindFactory } from "./bind";

/** The payment provider (Stripe, the dev checkout, or none), and the dev checkout page's access to it. */
export function billingModule(): ContainerModule {
  return new ContainerModule((options) => {
    bindFactory(options, TOKENS.BillingProvider, (config: AppConfig, clock: Clock) => createBillingProvider(config, clock), [TOKENS.Config, TOKENS.Clock]);
    bindFactory(
      options,
      TOKENS.DevCheckout,
      (provider: BillingProvider) => (provider instanceof DevBillingProvider ? provider : null),
      [TOKENS.BillingProvider],
    );
    bindFactory(options, TOKENS.BillingSettings, (config: AppConfig): BillingSettings => ({ appUrl: config.appUrl }), [TOKENS.Config]);
  });
}
