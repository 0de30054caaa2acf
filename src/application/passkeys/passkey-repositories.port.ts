import type { Passkey } from "../../domain/passkey/passkey";
import type { PasskeyCeremony, PasskeyChallenge } from "../../domain/passkey/passkey-challenge";
import type { PasskeyAlreadyRegistered } from "../../domain/passkey/passkey-errors";
import type { Result } from "../../domain/shared/result";

export interface PasskeyRepository {
  /** The credential id is unique across all users (the store's unique index), never a check-then-insert. */
  insert(passkey: Passkey): Promise<Result<void, PasskeyAlreadyRegistered>>;
  findByCredentialId(credentialId: string): Promise<Passkey | null>;
  /** Oldest first. */
  listForUser(userId: string): Promise<Passkey[]>;
  /** Removes the user's passkey; false when it is not theirs or does not exist. */
  delete(userId: string, passkeyId: string): Promise<Passkey | null>;
  /**
   * Stores the counter of a verified assertion and its time, only if the stored counter is still
   * `expectedCounter` (compare-and-set): of two concurrent assertions with the same counter one wins.
   */
  recordUse(passkeyId: string, expectedCounter: number, newCounter: number, at: Date): Promise<boolean>;
}

export interface PasskeyChallengeRepository {
  /** Keeps the challenge until it is consumed or expires; drops expired ones on the way. */
  insert(challenge: PasskeyChallenge, now: Date): Promise<void>;
  /**
   * Removes and returns the challenge if it was issued for this ceremony and is unexpired at `now`.
   * Atomic: of any number of concurrent callers with the same challenge at most one gets it.
   */
  consume(challenge: string, ceremony: PasskeyCeremony, now: Date): Promise<PasskeyChallenge | null>;
}
