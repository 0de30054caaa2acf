/** What the session cookie's signed token says: ids and times only, nothing personal. */
export interface SessionTokenClaims {
  readonly sub: string;
  readonly sid: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

export interface SessionTokens {
  sign(claims: SessionTokenClaims): Promise<string>;
  /** Null for anything that is not a valid, unexpired token of ours at `now`. Never throws on bad input. */
  verify(token: string, now: Date): Promise<SessionTokenClaims | null>;
}
