import type { SessionPolicySettings } from "../../domain/session/session-policy";
import { DEFAULT_SESSION_POLICY } from "../../domain/session/session-policy";
import type { PasswordPolicy } from "../../domain/identity/password";
import { DEFAULT_PASSWORD_POLICY } from "../../domain/identity/password";

/** At most `limit` hits per `windowSeconds`. */
export interface RateLimitRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

/**
 * Consecutive failed sign-ins for one account (canonical e-mail, existing or not): the first
 * `freeFailures` cost nothing, each further one doubles a wait from `baseDelaySeconds` up to
 * `maxDelaySeconds`; at `lockAfter` the account only opens through a password reset. A success or
 * a reset clears the count; otherwise it is forgotten after `windowSeconds`.
 */
export interface FailurePolicy {
  readonly freeFailures: number;
  readonly baseDelaySeconds: number;
  readonly maxDelaySeconds: number;
  readonly lockAfter: number;
  readonly windowSeconds: number;
}

export interface RateLimitSettings {
  /** False turns every limit off (load tests only). */
  readonly enabled: boolean;
  /** Sign-in attempts from one client IP, successes included. */
  readonly signInPerIp: RateLimitRule;
  readonly signInFailuresPerAccount: FailurePolicy;
  /** Accounts created from one client IP. */
  readonly signUpPerIp: RateLimitRule;
  /** E-mails (verification, reset) sent to one account. */
  readonly emailPerAccount: RateLimitRule;
  /** E-mail-sending requests (sign-up, reset, resend) from one client IP. */
  readonly emailPerIp: RateLimitRule;
  /** Team invitations one user sends (each is a mail to an address of their choosing). */
  readonly invitationsPerUser: RateLimitRule;
  /** Second-factor attempts (TOTP or recovery code) from one client IP, successes included. */
  readonly mfaPerIp: RateLimitRule;
  /** Consecutive wrong second-factor codes for one account, counted apart from its passwords. */
  readonly mfaFailuresPerUser: FailurePolicy;
}

/** The second factor. */
export interface MfaSettings {
  /** How long the second step of a sign-in may follow the password step. */
  readonly challengeTtlSeconds: number;
  /** The name authenticator apps show beside the account (the `issuer` of the otpauth URI). */
  readonly issuer: string;
}

/** A first-party client allowed to start the device flow, with the name the approval page shows. */
export interface DeviceClient {
  readonly id: string;
  readonly name: string;
}

export interface DeviceSettings {
  /** How long a device code and its user code live. */
  readonly codeTtlSeconds: number;
  /** How long a device token works. */
  readonly tokenTtlSeconds: number;
  /** The first poll interval handed to devices. */
  readonly intervalSeconds: number;
  readonly clients: readonly DeviceClient[];
  /** Device codes issued to one client IP: every code is a row until it expires. */
  readonly issuePerIp: RateLimitRule;
  /** User-code look-ups and decisions from one client IP, by one signed-in user, on one code. */
  readonly perIp: RateLimitRule;
  readonly perUser: RateLimitRule;
  readonly perCode: RateLimitRule;
}

/** How dead rows are cleared (see application/retention). */
export interface RetentionSettings {
  /** Seconds between two passes of an instance; 0 runs none (another process clears the rows). */
  readonly intervalSeconds: number;
  /** Rows one statement deletes at most: short transactions, short locks. */
  readonly batchSize: number;
  /**
   * After each full batch the pass rests this many times as long as the batch took, so a backlog is
   * worked off beside the traffic instead of ahead of it: 0 runs the batches back to back, 1 gives
   * the database half of the time, 3 a quarter. Off by default: on the scale bench it stretched a
   * 3-million-row backlog from 36 s to 97 s and left the session check's p99 where it was.
   */
  readonly pauseRatio: number;
  /** Security-activity events older than this many days are deleted. */
  readonly authEventRetentionDays: number;
}

export const DEFAULT_RETENTION: RetentionSettings = { intervalSeconds: 600, batchSize: 1000, pauseRatio: 0, authEventRetentionDays: 90 };

export interface AuthSettings {
  readonly session: SessionPolicySettings;
  readonly password: PasswordPolicy;
  readonly verifyTokenTtlSeconds: number;
  readonly resetTokenTtlSeconds: number;
  /** How long a team invitation link works. */
  readonly inviteTokenTtlSeconds: number;
  /** How long after its last authentication a session counts as fresh for sensitive actions (step-up). */
  readonly freshAuthMaxAgeSeconds: number;
  readonly rateLimits: RateLimitSettings;
  readonly device: DeviceSettings;
  readonly mfa: MfaSettings;
  readonly retention: RetentionSettings;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  enabled: true,
  signInPerIp: { limit: 100, windowSeconds: 15 * 60 },
  signInFailuresPerAccount: {
    freeFailures: 5,
    baseDelaySeconds: 2,
    maxDelaySeconds: 15 * 60,
    lockAfter: 50,
    windowSeconds: 30 * 24 * 3600,
  },
  signUpPerIp: { limit: 20, windowSeconds: 3600 },
  emailPerAccount: { limit: 5, windowSeconds: 3600 },
  emailPerIp: { limit: 30, windowSeconds: 3600 },
  invitationsPerUser: { limit: 50, windowSeconds: 3600 },
  mfaPerIp: { limit: 100, windowSeconds: 15 * 60 },
  // One in a million per guess, three codes valid at a time: 20 guesses before the lock leave an
  // attacker who holds the password a chance of about 6 in 100,000.
  mfaFailuresPerUser: {
    freeFailures: 5,
    baseDelaySeconds: 2,
    maxDelaySeconds: 15 * 60,
    lockAfter: 20,
    windowSeconds: 24 * 3600,
  },
};

export const DEFAULT_MFA_SETTINGS: MfaSettings = {
  challengeTtlSeconds: 300,
  issuer: "nextauth-hex",
};

export const DEFAULT_DEVICE_SETTINGS: DeviceSettings = {
  codeTtlSeconds: 600,
  tokenTtlSeconds: 30 * 24 * 3600,
  intervalSeconds: 5,
  clients: [{ id: "cli", name: "nextauth-hex command line" }],
  // A person starts a login or two; an office behind one address a few dozen.
  issuePerIp: { limit: 60, windowSeconds: 15 * 60 },
  perIp: { limit: 30, windowSeconds: 15 * 60 },
  perUser: { limit: 30, windowSeconds: 15 * 60 },
  // A code is typed or confirmed a few times at most; more means someone is trying passwords on it.
  perCode: { limit: 10, windowSeconds: 600 },
};

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  session: DEFAULT_SESSION_POLICY,
  password: DEFAULT_PASSWORD_POLICY,
  verifyTokenTtlSeconds: 24 * 3600,
  resetTokenTtlSeconds: 30 * 60,
  inviteTokenTtlSeconds: 3 * 24 * 3600,
  freshAuthMaxAgeSeconds: 600,
  rateLimits: DEFAULT_RATE_LIMITS,
  device: DEFAULT_DEVICE_SETTINGS,
  mfa: DEFAULT_MFA_SETTINGS,
  retention: DEFAULT_RETENTION,
};
