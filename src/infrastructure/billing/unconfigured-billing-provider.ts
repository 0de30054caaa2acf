import type { BillingProvider } from "../../application/billing";
import { BillingNotConfigured } from "../../domain/billing/billing-errors";
import { fail } from "../../domain/shared/result";

/** Production with no payment provider configured: every billing action answers "not set up". */
export class UnconfiguredBillingProvider implements BillingProvider {
  readonly configured = false;

  async startCheckout() {
    return fail(new BillingNotConfigured());
  }

  async openPortal() {
    return fail(new BillingNotConfigured());
  }

  async verifyEvent() {
    return fail(new BillingNotConfigured());
  }
}
