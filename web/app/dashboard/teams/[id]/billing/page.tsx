import Link from "next/link";
import { notFound } from "next/navigation";
import { NoticeBanner } from "../../../../_components/notice-banner";
import { SubmitButton } from "../../../../_components/submit-button";
import { openPortalAction, startCheckoutAction } from "../../../../../../src/interfaces/web/billing/actions";
import { statusText, teamBillingPageOf } from "../../../../../../src/interfaces/web/billing/page-data";
import { formatDateTime } from "../../../../../../src/interfaces/web/shared/format";
import { noticeFor } from "../../../../../../src/interfaces/web/shared/notices";
import { requireViewer } from "../../../../../../src/interfaces/web/shared/session";
import { teamPageOf } from "../../../../../../src/interfaces/web/teams/page-data";

export const metadata = { title: "Billing" };

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function TeamBillingPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { id } = await params;
  const path = `/dashboard/teams/${encodeURIComponent(id)}/billing`;
  const viewer = await requireViewer(path);
  const notice = noticeFor((await searchParams).notice);
  const team = await teamPageOf(viewer, id);
  if (!team) notFound();
  const page = await teamBillingPageOf(viewer, id);
  if (page.kind === "not-found") notFound();
  return (
    <>
      <p>
        <Link href={`/dashboard/teams/${encodeURIComponent(team.id)}`}>← {team.name}</Link>
      </p>
      <h1>Billing · {team.name}</h1>
      <NoticeBanner notice={notice} />
      {page.kind === "not-configured" ? (
        <div className="alert alert-warning" data-code="BILLING_NOT_CONFIGURED">
          <p>
            <strong>Billing is not set up on this server.</strong> Every team is on the free plan. The operator enables billing by
            configuring a payment provider (see the configuration guide).
          </p>
        </div>
      ) : (
        <BillingPanels teamId={team.id} billing={page.billing} verified={viewer.user.emailVerified} email={viewer.user.email} />
      )}
    </>
  );
}

function BillingPanels({
  teamId,
  billing,
  verified,
  email,
}: {
  teamId: string;
  billing: Extract<Awaited<ReturnType<typeof teamBillingPageOf>>, { kind: "ok" }>["billing"];
  verified: boolean;
  email: string;
}) {
  const isOwner = billing.role === "owner";
  return (
    <>
      <section className="panel" aria-labelledby="plan-title">
        <h2 id="plan-title">Plan</h2>
        <dl className="definition">
          <dt>Plan</dt>
          <dd data-testid="billing-plan">{billing.planName}</dd>
          <dt>Status</dt>
          <dd data-testid="billing-status">{statusText(billing.status)}</dd>
          {billing.period ? (
            <>
              <dt>{billing.period.label}</dt>
              <dd data-testid="billing-period">{formatDateTime(billing.period.at)}</dd>
            </>
          ) : null}
        </dl>
        {billing.cancelAtPeriodEnd && billing.period ? (
          <p className="alert alert-info" data-testid="billing-ends">
            The subscription ends on {formatDateTime(billing.period.at)} and will not renew. The team keeps Pro until then.
          </p>
        ) : null}
      </section>

      {!isOwner ? (
        <p className="lead">Only an owner of the team can change its plan.</p>
      ) : !verified ? (
        <div className="alert alert-warning" data-code="EMAIL_NOT_VERIFIED">
          <p>
            <strong>Billing is blocked until you verify your e-mail address.</strong> Open the link we sent to {email}, or send a new
            one from your security settings.
          </p>
        </div>
      ) : (
        <section className="panel" aria-labelledby="manage-title">
          <h2 id="manage-title">{billing.plan === "free" && billing.status !== "past_due" ? "Upgrade" : "Manage"}</h2>
          {billing.plan === "free" && billing.status !== "past_due" ? (
            <form action={startCheckoutAction} className="form">
              <input type="hidden" name="teamId" value={teamId} />
              <input type="hidden" name="plan" value="pro" />
              <p>Pro for the whole team, billed monthly. The price is shown at checkout before you pay.</p>
              <div>
                <SubmitButton pendingLabel="Opening checkout…">Upgrade to Pro</SubmitButton>
              </div>
            </form>
          ) : null}
          {billing.hasBillingAccount ? (
            <form action={openPortalAction} className="form">
              <input type="hidden" name="teamId" value={teamId} />
              <p>Change the payment method, see invoices, or cancel.</p>
              <div>
                <SubmitButton variant="secondary" pendingLabel="Opening…">
                  Manage billing
                </SubmitButton>
              </div>
            </form>
          ) : null}
        </section>
      )}
    </>
  );
}
