"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { DomainError } from "../../../domain/shared/domain-error";
import { textField } from "../shared/form-state";
import { withNotice, type NoticeCode } from "../shared/notices";
import { redirectIfStale, requireActionViewer } from "../shared/session";
import { useCase } from "../shared/use-cases";
import { pressDevCheckout, type DevCheckoutAction } from "./dev-checkout";

/*
 * Server actions of the billing page and the dev checkout. Plain forms that answer with a redirect (to
 * the provider's page, or back with a notice), so each works without JavaScript.
 */

const billingPage = (teamId: string) => `/dashboard/teams/${encodeURIComponent(teamId)}/billing`;

function noticeOf(error: DomainError): NoticeCode {
  switch (error.code) {
    case "FORBIDDEN":
      return "billing-forbidden";
    case "EMAIL_NOT_VERIFIED":
      return "billing-needs-verified-email";
    case "ALREADY_SUBSCRIBED":
      return "billing-already-subscribed";
    case "NO_BILLING_ACCOUNT":
      return "billing-no-account";
    case "VALIDATION_FAILED":
      return "billing-plan-invalid";
    case "BILLING_NOT_CONFIGURED":
      return "billing-not-configured";
    case "BILLING_PROVIDER_UNAVAILABLE":
      return "billing-unavailable";
    default:
      return "team-not-found";
  }
}

function refused(teamId: string, error: DomainError): never {
  redirect(error.code === "NOT_FOUND" ? withNotice("/dashboard/teams", "team-not-found") : withNotice(billingPage(teamId), noticeOf(error)));
}

/** Upgrade: off to the provider's checkout page for the plan in the form (a name; its price is configured). */
export async function startCheckoutAction(form: FormData): Promise<void> {
  const teamId = textField(form, "teamId", 256);
  const viewer = await requireActionViewer(billingPage(teamId));
  const result = await (await useCase("startCheckout")).execute({ userId: viewer.user.id, sessionId: viewer.session.id, teamId, plan: textField(form, "plan", 32) });
  if (!result.ok) redirectIfStale(result.error, billingPage(teamId));
  if (!result.ok) refused(teamId, result.error);
  redirect(result.value.url);
}

/** Manage: off to the provider's portal (payment method, invoices, cancelling). */
export async function openPortalAction(form: FormData): Promise<void> {
  const teamId = textField(form, "teamId", 256);
  const viewer = await requireActionViewer(billingPage(teamId));
  const result = await (await useCase("openBillingPortal")).execute({ userId: viewer.user.id, sessionId: viewer.session.id, teamId });
  if (!result.ok) redirectIfStale(result.error, billingPage(teamId));
  if (!result.ok) refused(teamId, result.error);
  redirect(result.value.url);
}

const DEV_ACTIONS: readonly DevCheckoutAction[] = ["pay", "cancel-at-period-end", "cancel-now"];

/**
 * A button of the dev checkout (/dev/billing). Like Stripe's hosted pages it needs no session of ours:
 * the signed link is what it acts on.
 */
export async function devCheckoutAction(form: FormData): Promise<void> {
  const session = textField(form, "session", 4096);
  const action = textField(form, "action", 32) as DevCheckoutAction;
  const next = DEV_ACTIONS.includes(action) ? await pressDevCheckout(session, action) : null;
  if (!next) redirect(`/dev/billing?session=${encodeURIComponent(session)}&failed=1`);
  revalidatePath("/dashboard/teams", "layout");
  redirect(action === "pay" ? next : withNotice(next, "billing-updated"));
}
