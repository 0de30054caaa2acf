/**
 * What a retention pass may delete, one rule per kind of dead row. Each rule names rows that no longer
 * let anyone in and that no request reads any more; nothing else is ever deleted.
 *
 * - `sessions.expired`: sessions whose absolute expiry is before the cutoff.
 * - `sessions.revoked`: sessions revoked (signed out, ended by a password change or a reset) before the cutoff.
 * - `verificationTokens.expired` / `.spent`: e-mail verification and reset tokens past their expiry, or
 *   used or voided by a newer link.
 * - `deviceAuthorizations.expired`: device codes (RFC 8628) past their expiry, whatever their status.
 * - `deviceTokens.expired` / `.revoked`: device tokens past their expiry, or revoked.
 * - `invitations.expired` / `.ended`: team invitations past their expiry, or accepted, declined or revoked.
 * - `outbox.sent`: mail delivered before the cutoff (queued and retried mail is never touched).
 * - `outbox.failed`: mail given up on (a permanent refusal, or too old to retry) before the cutoff.
 * - `rateLimits.expired`: rate-limit counters whose window ended before the cutoff (they count as zero).
 * - `authEvents.old`: security-activity events recorded before the cutoff.
 */
export const RETENTION_RULES = [
  "sessions.expired",
  "sessions.revoked",
  "verificationTokens.expired",
  "verificationTokens.spent",
  "deviceAuthorizations.expired",
  "deviceTokens.expired",
  "deviceTokens.revoked",
  "invitations.expired",
  "invitations.ended",
  "outbox.sent",
  "outbox.failed",
  "rateLimits.expired",
  "authEvents.old",
] as const;

export type RetentionRule = (typeof RETENTION_RULES)[number];

/** A named lease held by one holder until `until`: how one instance at a time runs a pass. */
export interface LeaseClaim {
  readonly name: string;
  readonly holder: string;
  readonly now: Date;
  readonly until: Date;
}

/**
 * Deletes dead rows in bounded batches, and arbitrates which instance runs a pass. Never used inside a
 * unit of work: every batch commits on its own, so no pass holds locks for long.
 */
export interface RetentionStore {
  /**
   * Takes (or, by its holder, extends) the lease when nobody else holds it at `now`. True when the
   * caller holds it until `until`; false when another holder's lease has not run out.
   */
  acquireLease(claim: LeaseClaim): Promise<boolean>;
  /** Gives the lease up, if `holder` still holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** Deletes at most `limit` rows the rule names at `cutoff`; returns how many it deleted. */
  deleteBatch(rule: RetentionRule, cutoff: Date, limit: number): Promise<number>;
}
