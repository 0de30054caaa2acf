import { NoBillingAccount, BillingNotConfigured, type BillingProviderUnavailable } from "../../domain/billing/billing-errors";
import { fail, type Result } from "../../domain/shared/result";
import { passBillingGate, type BillingActor, type GateRefusal } from "./billing-gate";
import type { BillingProvider } from "./billing-provider.port";
import type { BillingSettings, BillingStores } from "./billing-stores";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import { FreshAuthentication } from "../shared/services/fresh-authentication";

export type OpenBillingPortalInput = BillingActor;

/** An owner manages the team's plan (payment method, invoices, cancelling) at the provider's portal. */
export class OpenBillingPortal {
  private readonly fresh: FreshAuthentication;

  constructor(
    private readonly stores: BillingStores,
    private readonly billing: BillingProvider,
    private readonly settings: BillingSettings,
    private readonly clock: Clock,
    authSettings: AuthSettings,
  ) {
    this.fresh = new FreshAuthentication(authSettings.freshAuthMaxAgeSeconds);
  }

  async execute(
    input: OpenBillingPortalInput,
  ): Promise<Result<{ url: string }, GateRefusal | NoBillingAccount | BillingNotConfigured | BillingProviderUnavailable>> {
    const gate = await passBillingGate(this.stores, input, this.fresh, this.clock.now());
    if (!gate.ok) return gate;
    if (!this.billing.configured) return fail(new BillingNotConfigured());
    const current = await this.stores.subscriptions.findByTeam(input.teamId);
    if (!current) return fail(new NoBillingAccount());
    return this.billing.openPortal({
      teamId: input.teamId,
      teamName: gate.value.teamName,
      customerId: current.customerId,
      returnUrl: `${this.settings.appUrl}/dashboard/teams/${encodeURIComponent(input.teamId)}/billing`,
    });
  }
}
