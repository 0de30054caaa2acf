import { ConfigError } from "./config-error";
import type { Environment } from "./environment";

/** Stripe, when its three variables are set; where its SDK sends API calls (STRIPE_API_URL). */
export interface StripeConfig {
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly prices: { readonly pro: string };
  /** Null: Stripe's own API. */
  readonly api: { readonly host: string; readonly port: number; readonly protocol: "http" | "https" } | null;
}

/**
 * Which payment provider runs: Stripe when configured (also outside production); otherwise the dev
 * checkout outside production, and none in production (billing routes answer 503).
 */
export type BillingConfig = { readonly provider: "stripe"; readonly stripe: StripeConfig } | { readonly provider: "dev" | "none" };

const STRIPE = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICE_PRO"] as const;

export function billingConfig(raw: Environment): BillingConfig {
  const set = STRIPE.filter((name) => raw[name] !== undefined);
  if (set.length === 0) {
    if (raw.STRIPE_API_URL !== undefined) {
      throw new ConfigError("STRIPE_API_URL", "STRIPE_API_URL is set without Stripe: set STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_PRICE_PRO too, or unset it");
    }
    return { provider: raw.production ? "none" : "dev" };
  }
  // Half a Stripe setup would take money without ever hearing back (no webhook secret), or fail at checkout.
  const missing = STRIPE.find((name) => raw[name] === undefined);
  if (missing) {
    throw new ConfigError(missing, `${missing} is missing: Stripe billing needs STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_PRICE_PRO together (or none of them)`);
  }
  const api = raw.STRIPE_API_URL === undefined ? null : new URL(raw.STRIPE_API_URL);
  return {
    provider: "stripe",
    stripe: {
      secretKey: raw.STRIPE_SECRET_KEY!,
      webhookSecret: raw.STRIPE_WEBHOOK_SECRET!,
      prices: { pro: raw.STRIPE_PRICE_PRO! },
      api: api && {
        host: api.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: Number(api.port || (api.protocol === "https:" ? 443 : 80)),
        protocol: api.protocol === "https:" ? "https" : "http",
      },
    },
  };
}
