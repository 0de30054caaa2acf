import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The dev checkout's links carry what they are about (team, plan, customer), signed so a link cannot
 * be edited to pay for another team, and expiring like a real checkout session.
 */
export interface DevCheckoutClaims {
  readonly mode: "checkout" | "portal";
  readonly teamId: string;
  readonly teamName: string;
  readonly plan: "pro";
  readonly customerId: string;
  /** Where the page sends the payer back to after a button (checkout: the success URL). */
  readonly returnUrl: string;
  /** Checkout only: back without paying. */
  readonly cancelUrl: string | null;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString("base64url");

export class DevCheckoutTokens {
  constructor(private readonly secret: string) {}

  sign(claims: DevCheckoutClaims): string {
    const body = b64(JSON.stringify(claims));
    return `${body}.${this.mac(body)}`;
  }

  read(token: unknown, now: Date): DevCheckoutClaims | null {
    if (typeof token !== "string" || token.length > 4096) return null;
    const [body, mac, extra] = token.split(".");
    if (!body || !mac || extra !== undefined) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as DevCheckoutClaims;
      return claims.expiresAt > now.getTime() ? claims : null;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac("sha256", this.secret).update(`dev-checkout.${body}`).digest("base64url");
  }
}
