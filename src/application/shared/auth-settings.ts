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
}

export interface AuthSettings {
  readonly session: SessionPolicySettings;
  readonly password: PasswordPolicy;
  readonly verifyTokenTtlSeconds: number;
  readonly resetTokenTtlSeconds: number;
  /** How long a team invitation link works. */
  readonly inviteTokenTtlSeconds: number;
  readonly rateLimits: RateLimitSettings;
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
};

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  session: DEFAULT_SESSION_POLICY,
  password: DEFAULT_PASSWORD_POLICY,
  verifyTokenTtlSeconds: 24 * 3600,
  resetTokenTtlSeconds: 30 * 60,
  inviteTokenTtlSeconds: 3 * 24 * 3600,
  rateLimits: DEFAULT_RATE_LIMITS,
};
