/** A challenge lives this long: long enough for a person to touch their authenticator, no longer. */
export const PASSKEY_CHALLENGE_TTL_SECONDS = 300;

/** Registration is bound to the signed-in user; authentication to the ceremony alone (who is not known yet). */
export type PasskeyCeremony = "registration" | "authentication";

/**
 * A challenge the server issued for one ceremony. It is kept server-side, and consumed (deleted) the
 * first time a response names it, whether or not that response verifies: single use.
 */
export interface PasskeyChallenge {
  /** The base64url challenge as sent to the browser. */
  readonly challenge: string;
  readonly ceremony: PasskeyCeremony;
  /** The user a registration challenge was issued to; null for authentication. */
  readonly userId: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export function newPasskeyChallenge(challenge: string, ceremony: PasskeyCeremony, userId: string | null, now: Date): PasskeyChallenge {
  return {
    challenge,
    ceremony,
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_TTL_SECONDS * 1000),
  };
}
