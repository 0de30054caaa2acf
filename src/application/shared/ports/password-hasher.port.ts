import type { Password, PasswordHash } from "../../../domain/identity/password";

export interface PasswordHasher {
  hash(password: Password): Promise<PasswordHash>;
  /** `plain` is the NFKC-normalised input, within the maximum length. */
  verify(hash: PasswordHash, plain: string): Promise<boolean>;
  /** True when the hash was made with other (older, weaker) parameters than the current ones. */
  needsRehash(hash: PasswordHash): boolean;
  /** Spends the time of one verify against a fixed hash, so an unknown account answers as slowly. */
  verifyDummy(plain: string): Promise<void>;
}
