import type { TokenPurpose, VerificationToken } from "../../domain/identity/verification-token";

export interface VerificationTokenRepository {
  insert(token: VerificationToken): Promise<void>;
  findByHash(tokenHash: string): Promise<VerificationToken | null>;
  /**
   * Marks the token consumed if, and only if, it is still unconsumed, not invalidated and unexpired
   * at `at`. Of any number of concurrent callers exactly one gets true.
   */
  consume(id: string, at: Date): Promise<boolean>;
  /** Voids every outstanding token of this user and purpose (a newer one supersedes them). */
  invalidateAllForUser(userId: string, purpose: TokenPurpose, at: Date): Promise<void>;
}
