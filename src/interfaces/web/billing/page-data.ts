import type { Plan, SubscriptionStatus } from "../../../domain/billing/subscription";
import type { TeamRole } from "../../../domain/team/team-role";
import type { Viewer } from "../shared/session";
import { useCase } from "../shared/use-cases";

/** What the billing page shows of a team's plan. */
export interface TeamBillingView {
  readonly plan: Plan;
  readonly planName: string;
  readonly status: SubscriptionStatus | "none";
  /** "Renews on", "Ends on" or "Ended on", with its date; null on the free plan. */
  readonly period: { readonly label: string; readonly at: Date } | null;
  readonly cancelAtPeriodEnd: boolean;
  readonly role: TeamRole;
  readonly hasBillingAccount: boolean;
}

export type TeamBillingPage = { readonly kind: "ok"; readonly billing: TeamBillingView } | { readonly kind: "not-configured" } | { readonly kind: "not-found" };

const PLAN_NAMES: Record<Plan, string> = { free: "Free", pro: "Pro" };

function periodOf(status: SubscriptionStatus | "none", end: Date | null, cancelAtPeriodEnd: boolean): TeamBillingView["period"] {
  if (!end || status === "none") return null;
  if (status === "canceled" || status === "incomplete_expired") return { label: "Ended on", at: end };
  return { label: cancelAtPeriodEnd ? "Ends on" : "Renews on", at: end };
}

export async function teamBillingPageOf(viewer: Viewer, teamId: string): Promise<TeamBillingPage> {
  const result = await (await useCase("getTeamBilling")).execute({ userId: viewer.user.id, teamId });
  if (!result.ok) return { kind: result.error.code === "BILLING_NOT_CONFIGURED" ? "not-configured" : "not-found" };
  const b = result.value;
  return {
    kind: "ok",
    billing: {
      plan: b.plan,
      planName: PLAN_NAMES[b.plan],
      status: b.status,
      period: periodOf(b.status, b.currentPeriodEnd, b.cancelAtPeriodEnd),
      cancelAtPeriodEnd: b.cancelAtPeriodEnd,
      role: b.role,
      hasBillingAccount: b.hasBillingAccount,
    },
  };
}

/** Whether the team page shows the "Pro" badge: while the subscription is active or trialing. */
export async function hasProBadge(viewer: Viewer, teamId: string): Promise<boolean> {
  const page = await teamBillingPageOf(viewer, teamId);
  return page.kind === "ok" && page.billing.plan === "pro";
}

/** Words for a subscription's status. */
export function statusText(status: SubscriptionStatus | "none"): string {
  switch (status) {
    case "none":
      return "No subscription";
    case "past_due":
      return "Payment overdue";
    case "incomplete":
      return "Waiting for the first payment";
    case "incomplete_expired":
      return "First payment never completed";
    default:
      return status.charAt(0).toUpperCase() + status.slice(1);
  }
}
