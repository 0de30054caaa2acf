import { AlreadySubscribed, BillingNotConfigured, type BillingProviderUnavailable } from "../../domain/billing/billing-errors";
import { entitledPlan, isPaidPlan } from "../../domain/billing/subscription";
import { InvalidInput } from "../../domain/shared/domain-error";
import { fail, type Result } from "../../domain/shared/result";
import { passBillingGate, type BillingActor, type GateRefusal } from "./billing-gate";
import type { BillingProvider } from "./billing-provider.port";
import type { BillingSettings, BillingStores } from "./billing-stores";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import { FreshAuthentication } from "../shared/services/fresh-authentication";

export interface StartCheckoutInput extends BillingActor {
  /** As the client sent it: only a plan name, checked against the plans there are. */
  readonly plan: unknown;
}

export type StartCheckoutError = GateRefusal | InvalidInput | AlreadySubscribed | BillingNotConfigured | BillingProviderUnavailable;

/** An owner starts paying for a plan: the answer is the provider's hosted checkout page. */
export class StartCheckout {
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

  async execute(input: StartCheckoutInput): Promise<Result<{ url: string }, StartCheckoutError>> {
    const gate = await passBillingGate(this.stores, input, this.fresh, this.clock.now());
    if (!gate.ok) return gate;
    if (!this.billing.configured) return fail(new BillingNotConfigured());
    if (!isPaidPlan(input.plan)) return fail(new InvalidInput("There is no such plan.", { plan: "Choose the Pro plan." }));
    const current = await this.stores.subscriptions.findByTeam(input.teamId);
    // A team that already pays changes or cancels its plan in the portal: a second checkout would bill twice.
    if (entitledPlan(current) !== "free" || current?.status === "past_due") return fail(new AlreadySubscribed());
    const back = `${this.settings.appUrl}/dashboard/teams/${encodeURIComponent(input.teamId)}/billing`;
    return this.billing.startCheckout({
      teamId: input.teamId,
      teamName: gate.value.teamName,
      plan: input.plan,
      customerId: current?.customerId ?? null,
      customerEmail: gate.value.user.email,
      successUrl: `${back}?notice=billing-checkout-done`,
      cancelUrl: `${back}?notice=billing-checkout-canceled`,
    });
  }
}
