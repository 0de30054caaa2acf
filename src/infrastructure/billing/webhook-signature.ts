import Stripe from "stripe";

/**
 * Stripe's webhook signature scheme (`Stripe-Signature: t=…,v1=…`, an HMAC of "t.payload"), through the
 * package's own helpers: the Stripe adapter verifies with it, and the dev checkout signs and verifies
 * its own events the same way, so the one webhook route treats both alike.
 */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const webhooks = Stripe.webhooks;

/** The parsed event when `header` is a valid signature of exactly these bytes, made within the tolerance; null otherwise. */
export async function verifySignedPayload(payload: string, header: string | null, secret: string, now: Date): Promise<unknown | null> {
  if (!header) return null;
  try {
    return await webhooks.constructEventAsync(payload, header, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, now.getTime());
  } catch {
    // A bad signature, a stale timestamp or a body that is not JSON: all the same refusal.
    return null;
  }
}

export function signPayload(payload: string, secret: string, timestampSeconds: number): Promise<string> {
  return webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp: timestampSeconds });
}
