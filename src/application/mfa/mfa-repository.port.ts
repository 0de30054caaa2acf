import type { RecoveryCode } from "../../domain/mfa/recovery-code";
import type { TotpFactor } from "../../domain/mfa/totp-factor";
import type { SecondFactorCredentials } from "../shared/ports/second-factor.port";

/** The second factor as its owner manages it: set-up, turning it on and off, recovery codes. */
export interface MfaRepository extends SecondFactorCredentials {
  /**
   * Keeps a pending factor (a new secret, not yet proved), replacing an earlier pending one. Returns
   * false, changing nothing, when the user already has an enabled factor.
   */
  savePending(factor: TotpFactor): Promise<boolean>;
  /**
   * Turns the pending factor on with `step` as its last accepted step (the enrolment code is spent),
   * if it is still pending (compare-and-set).
   */
  enable(userId: string, step: number, at: Date): Promise<boolean>;
  /** Removes the factor and every recovery code of the user; whether there was a factor. */
  remove(userId: string): Promise<boolean>;
  /** Replaces every recovery code of the user with `codes`: the old set is void. */
  replaceRecoveryCodes(userId: string, codes: readonly RecoveryCode[]): Promise<void>;
  countUnusedRecoveryCodes(userId: string): Promise<number>;
}
