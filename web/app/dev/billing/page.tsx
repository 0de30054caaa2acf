import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { SubmitButton } from "../../_components/submit-button";
import { devCheckoutAction } from "../../../../src/interfaces/web/billing/actions";
import { devCheckoutOf } from "../../../../src/interfaces/web/billing/dev-checkout";
import { formatDateTime } from "../../../../src/interfaces/web/shared/format";

// Not `no-referrer`: under it a form POST carries `Origin: null`, which Next.js refuses for server
// actions (the forms must work without JavaScript). The default policy keeps the link on this origin.
export const metadata: Metadata = { title: "Dev checkout" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Stands in for Stripe's hosted checkout and portal outside production when Stripe is not configured
 * (like the dev mailbox for SMTP). Each button delivers a signed event to the app's webhook route.
 * It does not exist in production or with Stripe configured (404).
 */
export default async function DevCheckoutPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const session = typeof params.session === "string" ? params.session : "";
  const view = await devCheckoutOf(session);
  if (view === "absent") notFound();
  return (
    <main id="main" className="app-main">
      <h1>{view?.mode === "portal" ? "Dev billing portal" : "Dev checkout"}</h1>
      <div className="alert alert-warning">
        <p>Only in development: this page stands in for the payment provider. No money moves and no card is asked for.</p>
      </div>
      {params.failed ? (
        <div className="alert alert-error" role="alert">
          <p>That did not go through: the link may have expired, or the app refused the event. Start again from the team&apos;s billing page.</p>
        </div>
      ) : null}
      {!view ? (
        <div className="alert alert-error" data-code="INVALID_TOKEN">
          <p>This checkout link is invalid or has expired. Start again from the team&apos;s billing page.</p>
        </div>
      ) : (
        <section className="panel" aria-labelledby="checkout-title">
          <h2 id="checkout-title">{view.teamName}</h2>
          <dl className="definition">
            <dt>Team</dt>
            <dd>{view.teamName}</dd>
            <dt>Plan</dt>
            <dd>Pro</dd>
            <dt>Price</dt>
            <dd>{view.priceLabel}</dd>
            {view.subscription ? (
              <>
                <dt>Subscription</dt>
                <dd>
                  {view.subscription.status}
                  {view.subscription.cancelAtPeriodEnd ? " · cancels at period end" : ""} · period ends{" "}
                  {formatDateTime(new Date(view.subscription.currentPeriodEnd))}
                </dd>
              </>
            ) : null}
          </dl>
          {view.mode === "checkout" ? (
            <form action={devCheckoutAction} className="row">
              <input type="hidden" name="session" value={session} />
              <SubmitButton name="action" value="pay" pendingLabel="Paying…">
                Pay
              </SubmitButton>
              {view.cancelUrl ? <a href={view.cancelUrl}>Back without paying</a> : null}
            </form>
          ) : view.subscription?.status === "canceled" ? (
            <p>
              This subscription has ended. <a href={view.returnUrl}>Back to the app</a>
            </p>
          ) : (
            <form action={devCheckoutAction} className="row">
              <input type="hidden" name="session" value={session} />
              {!view.subscription ? (
                <p>The dev checkout keeps its subscriptions in memory and has forgotten this one (the server restarted since); it can still be ended.</p>
              ) : null}
              {view.subscription && !view.subscription.cancelAtPeriodEnd ? (
                <SubmitButton name="action" value="cancel-at-period-end" variant="secondary" pendingLabel="Cancelling…">
                  Cancel at period end
                </SubmitButton>
              ) : null}
              <SubmitButton name="action" value="cancel-now" variant="danger" pendingLabel="Cancelling…">
                Cancel now
              </SubmitButton>
              <a href={view.returnUrl}>Back to the app</a>
            </form>
          )}
        </section>
      )}
      <p>
        <Link href="/dev/mailbox">Dev mailbox</Link>
      </p>
    </main>
  );
}
