import { cookies } from "next/headers";
import { linkTokenCookieAttributes, linkTokenCookieName, wellFormedLinkToken, type LinkPurpose } from "./link-token";
import { appUrl } from "./use-cases";

/** The token the proxy moved out of the link's URL (see link-token.ts), or, failing that, one from the query. */
export async function linkToken(purpose: LinkPurpose, fromQuery?: unknown): Promise<string | null> {
  const stored = wellFormedLinkToken((await cookies()).get(linkTokenCookieName(purpose, appUrl()))?.value);
  if (stored) return stored;
  return typeof fromQuery === "string" ? wellFormedLinkToken(fromQuery) : null;
}

/** Once the token is spent (or known dead), the browser need not keep it. Server actions only. */
export async function forgetLinkToken(purpose: LinkPurpose): Promise<void> {
  (await cookies()).set(linkTokenCookieName(purpose, appUrl()), "", linkTokenCookieAttributes(purpose, appUrl(), 0));
}
