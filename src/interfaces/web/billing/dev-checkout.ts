import { appUrl, devCheckout } from "../shared/use-cases";

type DevCheckout = NonNullable<Awaited<ReturnType<typeof devCheckout>>>;
export type DevCheckoutPageView = NonNullable<ReturnType<DevCheckout["describe"]>>;
export type DevCheckoutAction = Parameters<DevCheckout["act"]>[1];

/**
 * The dev checkout page's view of its link; `absent` when there is no dev checkout (404), null when the
 * link is forged or expired.
 */
export async function devCheckoutOf(session: unknown): Promise<DevCheckoutPageView | null | "absent"> {
  const checkout = await devCheckout();
  if (!checkout) return "absent";
  return checkout.describe(session);
}

/**
 * Presses a dev checkout button: the "provider" changes the subscription, and its signed event is
 * delivered over HTTP to the app's own webhook route, exactly as Stripe would deliver it. Resolves to
 * where the payer goes next, or null when the link or the delivery failed.
 */
export async function pressDevCheckout(session: unknown, action: DevCheckoutAction): Promise<string | null> {
  const checkout = await devCheckout();
  const delivery = checkout && (await checkout.act(session, action));
  if (!delivery) return null;
  const response = await fetch(`${appUrl()}/api/billing/webhook`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": delivery.signature },
    body: delivery.payload,
    redirect: "manual",
  });
  if (!response.ok) return null;
  return delivery.returnUrl;
}
