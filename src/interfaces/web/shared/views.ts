import type { ApiKey } from "../../../domain/api-key/api-key";
import type { AuthEvent, AuthEventType } from "../../../domain/shared/auth-event";
import type { Session } from "../../../domain/session/session";
import type { User } from "../../../domain/identity/user";
import { describeUserAgent } from "./user-agent";

/**
 * Plain, serialisable shapes handed to pages: what a page may show and nothing else (no hash, no
 * token). Pages never see domain objects, so the app under web/ stays one line deep.
 */
export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly emailVerified: boolean;
  readonly createdAt: Date;
}

export interface SessionView {
  readonly id: string;
  readonly createdAt: Date;
  readonly authenticatedAt: Date;
  /** The last (re-)authentication, and what it rested on: the step-up window counts from it. */
  readonly lastAuthenticatedAt: Date;
  readonly authMethods: readonly string[];
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  readonly device: string;
  readonly ip: string | null;
  readonly current: boolean;
}

export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export interface AuthEventView {
  readonly id: string;
  readonly at: Date;
  readonly description: string;
  /** Whether this is something the user may want to look at twice (a failure, a revocation). */
  readonly notable: boolean;
  readonly device: string | null;
  readonly ip: string | null;
}

export function userView(user: User): UserView {
  return { id: user.id, email: user.email, emailVerified: user.emailVerified, createdAt: user.createdAt };
}

export function sessionView(session: Session, current: boolean): SessionView {
  return {
    id: session.id,
    createdAt: session.createdAt,
    authenticatedAt: session.authenticatedAt,
    lastAuthenticatedAt: session.lastAuthenticatedAt,
    authMethods: session.authMethods,
    lastSeenAt: session.lastSeenAt,
    expiresAt: session.expiresAt,
    device: describeUserAgent(session.userAgent),
    ip: session.ip,
    current,
  };
}

export function apiKeyView(key: ApiKey): ApiKeyView {
  return { id: key.id, name: key.name, prefix: key.prefix, createdAt: key.createdAt, lastUsedAt: key.lastUsedAt };
}

const EVENT_TEXT: Record<AuthEventType, string> = {
  "sign-up": "Account created",
  "sign-in.succeeded": "Signed in",
  "sign-in.failed": "Failed sign-in attempt (wrong password)",
  "sign-in.throttled": "Sign-in attempt blocked: too many attempts",
  "sign-out": "Signed out",
  "sessions.revoked-all": "Signed out everywhere",
  "session.revoked": "A session was signed out",
  "session.rotated": "Session renewed",
  "session.reauthenticated": "Identity confirmed again",
  "email.verified": "E-mail address verified",
  "email.verification-sent": "Verification e-mail sent",
  "email.change-requested": "Change of e-mail address requested",
  "email.changed": "E-mail address changed",
  "password.reset-requested": "Password reset requested",
  "password.reset": "Password reset with an e-mail link",
  "password.changed": "Password changed",
  "account.deleted": "Account deleted",
  "api-key.created": "API key created",
  "api-key.revoked": "API key revoked",
  "team.created": "Team created",
  "team.deleted": "Team deleted",
  "team.invited": "Invitation to a team sent",
  "team.invitation-revoked": "Team invitation revoked",
  "team.invitation-accepted": "Joined a team by invitation",
  "team.invitation-declined": "Team invitation declined",
  "team.role-changed": "A team member's role changed",
  "team.member-removed": "A member was removed from a team",
  "team.left": "Left a team",
  "device.code-issued": "A device asked to sign in",
  "device.approved": "A device was approved",
  "device.denied": "A device was denied",
  "device.token-issued": "A device signed in",
  "device.revoked": "A device was signed out",
  "sign-in.mfa-required": "Password accepted; the sign-in waited for the second step",
  "sign-in.mfa-failed": "Failed sign-in attempt (wrong second-factor code)",
  "mfa.enabled": "Two-step verification turned on",
  "mfa.disabled": "Two-step verification turned off",
  "mfa.recovery-codes-regenerated": "New recovery codes created",
  "passkey.added": "Passkey added",
  "passkey.removed": "Passkey removed",
  "passkey.refused": "A passkey could not be verified",
};

const NOTABLE = new Set<AuthEventType>(["sign-in.failed", "sign-in.throttled", "password.reset", "password.changed", "sessions.revoked-all", "device.approved", "passkey.added", "passkey.removed"]);

export function authEventView(event: AuthEvent): AuthEventView {
  return {
    id: event.id,
    at: event.at,
    description: EVENT_TEXT[event.type] ?? "Account activity",
    notable: NOTABLE.has(event.type),
    device: event.userAgent ? describeUserAgent(event.userAgent) : null,
    ip: event.ip,
  };
}
