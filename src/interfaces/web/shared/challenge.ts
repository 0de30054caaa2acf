import { cookies } from "next/headers";
import { challengeCookieAttributes, challengeCookieName } from "../../http/shared/challenge-cookie";
import { appUrl } from "./use-cases";

/** The second step's cookie for pages and server actions (see http/shared/challenge-cookie.ts). */
export async function setChallengeCookie(challenge: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(challengeCookieName(appUrl()), challenge, challengeCookieAttributes(expiresAt, new Date(), appUrl()));
}

export async function readChallenge(): Promise<string | null> {
  const value = (await cookies()).get(challengeCookieName(appUrl()))?.value;
  return value && value.length <= 256 ? value : null;
}

export async function clearChallengeCookie(): Promise<void> {
  (await cookies()).set(challengeCookieName(appUrl()), "", { ...challengeCookieAttributes(new Date(0), new Date(0), appUrl()), maxAge: 0 });
}
