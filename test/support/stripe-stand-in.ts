/**
 * An in-process stand-in for the part of Stripe's API the billing adapter calls, answering as Stripe
 * does (form-encoded requests, JSON objects, Stripe's error shape), and recording every request so
 * tests can check what was sent. Point the `stripe` package at it with STRIPE_API_URL (host, port,
 * protocol): no network, no account.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly idempotencyKey: string | undefined;
  /** The form body, decoded to Stripe's bracket keys: `line_items[0][price]` → "price_pro". */
  readonly form: Record<string, string>;
}

export interface StandInSubscription {
  id: string;
  customer: string;
  status: string;
  price: string;
  currentPeriodEnd: number;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  metadata?: Record<string, string>;
}

export const STAND_IN_PRICE_PRO = "price_pro_monthly";
export const STAND_IN_SECRET_KEY = "sk_test_standin0123456789";
export const STAND_IN_WEBHOOK_SECRET = "whsec_standin0123456789abcdef";

export class StripeStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly subscriptions = new Map<string, StandInSubscription>();
  /** When set, every call answers this status with an api_error (Stripe having a bad day). */
  failWith: number | null = null;
  private server: Server | null = null;
  private sessions = 0;

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.answer(req).then(({ status, body }) => {
        res.writeHead(status, { "Content-Type": "application/json", "Request-Id": `req_${this.requests.length}` });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Stripe's subscription object (API 2025+: the period lives on the items). */
  subscriptionObject(s: StandInSubscription) {
    return {
      id: s.id,
      object: "subscription",
      customer: s.customer,
      status: s.status,
      cancel_at_period_end: s.cancelAtPeriodEnd ?? false,
      cancel_at: s.cancelAt ?? null,
      metadata: s.metadata ?? {},
      items: {
        object: "list",
        data: [{ id: `si_${s.id}`, object: "subscription_item", price: { id: s.price, object: "price" }, current_period_end: s.currentPeriodEnd, quantity: 1 }],
        has_more: false,
      },
    };
  }

  private async answer(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://stand-in");
    const form = Object.fromEntries(new URLSearchParams(req.method === "GET" ? url.search : raw));
    this.requests.push({
      method: req.method ?? "",
      path: url.pathname,
      authorization: req.headers.authorization,
      contentType: req.headers["content-type"],
      idempotencyKey: req.headers["idempotency-key"] as string | undefined,
      form,
    });
    if (this.failWith) return { status: this.failWith, body: { error: { type: "api_error", message: "Stand-in failure." } } };
    if (req.headers.authorization !== `Bearer ${STAND_IN_SECRET_KEY}`) {
      return { status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key provided." } } };
    }
    if (req.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      const id = `cs_test_${++this.sessions}`;
      return {
        status: 200,
        body: {
          id,
          object: "checkout.session",
          mode: form.mode,
          client_reference_id: form.client_reference_id ?? null,
          customer: form.customer ?? null,
          url: `https://checkout.stripe.test/c/pay/${id}`,
        },
      };
    }
    if (req.method === "POST" && url.pathname === "/v1/billing_portal/sessions") {
      return { status: 200, body: { id: `bps_${++this.sessions}`, object: "billing_portal.session", customer: form.customer, url: `https://billing.stripe.test/p/session/${this.sessions}` } };
    }
    const sub = /^\/v1\/subscriptions\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && sub) {
      const found = this.subscriptions.get(decodeURIComponent(sub[1]!));
      if (!found) {
        return { status: 404, body: { error: { type: "invalid_request_error", code: "resource_missing", param: "id", message: `No such subscription: '${sub[1]}'` } } };
      }
      return { status: 200, body: this.subscriptionObject(found) };
    }
    return { status: 404, body: { error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${url.pathname}).` } } };
  }
}

/** A Stripe event as Stripe sends it: the event's own copy of the object, which the adapter must not trust. */
export function stripeEvent(id: string, type: string, created: number, object: Record<string, unknown>): string {
  return JSON.stringify({ id, object: "event", api_version: "2025-11-17.clover", created, livemode: false, pending_webhooks: 1, type, data: { object } });
}
