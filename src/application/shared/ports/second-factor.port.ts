import type { VerificationToken } from "../../../domain/identity/verification-token";
import type { RecoveryCode } from "../../../domain/mfa/recovery-code";
import type { TotpFactor } from "../../../domain/mfa/totp-factor";

// The second factor as the sign-in, its second step and re-authentication see it. Declared here, in
// shared, because capabilities meet on it: the mfa capability owns and implements the stores (its
// repository extends this view), identity asks at sign-in whether a second step is due, and
// re-authentication (sessions) checks a code too.

export interface SecondFactorCredentials {
  /** The user's TOTP factor, pending or on; null when there is none. */
  findTotp(userId: string): Promise<TotpFactor | null>;
  /**
   * Records `step` as the last accepted one of an enabled factor if, and only if, it is after the one
   * recorded (compare-and-set): of concurrent callers with the same code exactly one gets true.
   */
  recordTotpStep(userId: string, step: number): Promise<boolean>;
  /** The user's unused recovery codes whose lookup key is `lookup`. */
  findUnusedRecoveryCodes(userId: string, lookup: string): Promise<RecoveryCode[]>;
  /** Marks an unused code used (compare-and-set): of concurrent callers exactly one gets true. */
  useRecoveryCode(id: string, at: Date): Promise<boolean>;
}

/**
 * The pending second step of a sign-in: a one-time token (only its hash stored) bound to the user, the
 * address and this attempt, short-lived. Kept with the e-mail tokens (purpose `sign-in-challenge`).
 */
export interface SignInChallenges {
  insert(token: VerificationToken): Promise<void>;
  findByHash(tokenHash: string): Promise<VerificationToken | null>;
  /** Consumes an unconsumed, unexpired challenge; of concurrent callers exactly one gets true. */
  consume(id: string, at: Date): Promise<boolean>;
}

/** What needs a library or the CSPRNG: TOTP (RFC 6238, SHA-1, 6 digits, 30 s), recovery codes, the QR code. */
export interface SecondFactorCodes {
  /** A new TOTP seed: 160 bits from a CSPRNG, base32. */
  newTotpSecret(): string;
  /** The `otpauth://totp/…` URI an authenticator app reads. */
  totpUri(secret: string, account: string, issuer: string): string;
  /** The time step, within ±1 step of `now`, whose code is `code` (six digits); null when none matches. */
  totpStepOf(secret: string, code: string, now: Date): Promise<number | null>;
  /** A new recovery code: RECOVERY_CODE_LENGTH characters of RECOVERY_CODE_ALPHABET from a CSPRNG. */
  newRecoveryCode(): string;
  /** The QR code of `text` as an SVG document. */
  qrSvg(text: string): Promise<string>;
}
