import { BillingNotConfigured } from "../../domain/billing/billing-errors";
import { entitledPlan, type Plan, type SubscriptionStatus } from "../../domain/billing/subscription";
import { NotFound } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { TeamRole } from "../../domain/team/team-role";
import type { BillingProvider } from "./billing-provider.port";
import type { BillingStores } from "./billing-stores";

export interface GetTeamBillingInput {
  readonly userId: string;
  readonly teamId: string;
}

export interface TeamBilling {
  readonly plan: Plan;
  /** "none" before the first checkout. */
  readonly status: SubscriptionStatus | "none";
  readonly currentPeriodEnd: Date | null;
  readonly cancelAtPeriodEnd: boolean;
  /** The viewer's role: only an owner may start a checkout or open the portal. */
  readonly role: TeamRole;
  /** Whether there is a customer at the provider, so the portal can open. */
  readonly hasBillingAccount: boolean;
}

/** A team's plan as any of its members sees it; to anyone else the team does not exist. */
export class GetTeamBilling {
  constructor(
    private readonly stores: BillingStores,
    private readonly billing: BillingProvider,
  ) {}

  async execute(input: GetTeamBillingInput): Promise<Result<TeamBilling, NotFound | BillingNotConfigured>> {
    const membership = await this.stores.teams.findMembership(input.teamId, input.userId);
    if (!membership) return fail(new NotFound("Team"));
    if (!this.billing.configured) return fail(new BillingNotConfigured());
    const subscription = await this.stores.subscriptions.findByTeam(input.teamId);
    return ok({
      plan: entitledPlan(subscription),
      status: subscription?.status ?? "none",
      currentPeriodEnd: subscription?.currentPeriodEnd ?? null,
      cancelAtPeriodEnd: subscription?.cancelAtPeriodEnd ?? false,
      role: membership.role,
      hasBillingAccount: subscription !== null,
    });
  }
}
