export type AuthEventType =
  | "sign-up"
  | "sign-in.succeeded"
  | "sign-in.failed"
  | "sign-in.throttled"
  | "sign-out"
  | "sessions.revoked-all"
  | "session.revoked"
  | "session.rotated"
  | "session.reauthenticated"
  | "email.verified"
  | "email.verification-sent"
  | "email.change-requested"
  | "email.changed"
  | "password.reset-requested"
  | "password.reset"
  | "password.changed"
  | "account.deleted"
  | "api-key.created"
  | "api-key.revoked"
  | "team.created"
  | "team.deleted"
  | "team.invited"
  | "team.invitation-revoked"
  | "team.invitation-accepted"
  | "team.invitation-declined"
  | "team.role-changed"
  | "team.member-removed"
  | "team.left"
  | "device.code-issued"
  | "device.approved"
  | "device.denied"
  | "device.token-issued"
  | "device.revoked"
  | "sign-in.mfa-required"
  | "sign-in.mfa-failed"
  | "mfa.enabled"
  | "mfa.disabled"
  | "mfa.recovery-codes-regenerated"
  | "passkey.added"
  | "passkey.removed"
  | "passkey.refused";

/** A security-relevant fact, recorded without any secret (no password, token, key or JWT). */
export interface AuthEvent {
  readonly id: string;
  readonly type: AuthEventType;
  /** Null when no account is known (a failed sign-in for an unknown e-mail). */
  readonly userId: string | null;
  readonly at: Date;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** Small, non-secret details, e.g. `{ reason: "wrong-password" }` or `{ sessionId }`. */
  readonly detail: Readonly<Record<string, string>>;
}
