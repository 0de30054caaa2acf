import type { SessionPolicy } from "./session-policy";

/** How a user proved who they are: what the session's last (re-)authentication rested on. */
export type AuthMethod = "password" | "totp" | "recovery-code" | "passkey";
export const AUTH_METHODS: readonly AuthMethod[] = ["password", "totp", "recovery-code", "passkey"];

export interface SessionSnapshot {
  /** ≥ 128 bits from a CSPRNG; never chosen by the client. */
  readonly id: string;
  readonly userId: string;
  /** When this id was issued (sign-in or rotation): the rotation age counts from here. */
  readonly createdAt: Date;
  /** When the user proved who they are; carried over by rotation. */
  readonly authenticatedAt: Date;
  /**
   * When the user last proved who they are on this session: the sign-in, or a later step-up. What
   * "fresh" is measured from; a step-up never moves `authenticatedAt`, so the absolute end stays.
   */
  readonly lastAuthenticatedAt: Date;
  /** What that last authentication rested on, e.g. ["password", "totp"]. */
  readonly authMethods: readonly AuthMethod[];
  readonly lastSeenAt: Date;
  /** Absolute end: authenticatedAt + max age, never extended. */
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly rotatedAt: Date | null;
  readonly replacedBy: string | null;
  readonly userAgent: string | null;
  readonly ip: string | null;
}

/**
 * - active: usable as is;
 * - rotated-in-grace: replaced by `replacedBy` moments ago; a request in flight still gets through
 *   and is handed the successor;
 * - otherwise refused.
 */
export type SessionStatus = "active" | "rotated-in-grace" | "revoked" | "expired" | "idle" | "rotated-out";

export class Session {
  private constructor(private state: SessionSnapshot) {}

  static create(
    props: { id: string; userId: string; userAgent: string | null; ip: string | null; authMethods?: readonly AuthMethod[] },
    policy: SessionPolicy,
    now: Date,
  ): Session {
    return new Session({
      id: props.id,
      userId: props.userId,
      createdAt: now,
      authenticatedAt: now,
      lastAuthenticatedAt: now,
      authMethods: [...(props.authMethods ?? ["password"])],
      lastSeenAt: now,
      expiresAt: policy.absoluteExpiry(now),
      revokedAt: null,
      rotatedAt: null,
      replacedBy: null,
      userAgent: props.userAgent,
      ip: props.ip,
    });
  }

  static restore(snapshot: SessionSnapshot): Session {
    return new Session({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get userId(): string {
    return this.state.userId;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get authenticatedAt(): Date {
    return this.state.authenticatedAt;
  }
  get lastAuthenticatedAt(): Date {
    return this.state.lastAuthenticatedAt;
  }
  get authMethods(): readonly AuthMethod[] {
    return this.state.authMethods;
  }
  get lastSeenAt(): Date {
    return this.state.lastSeenAt;
  }
  get expiresAt(): Date {
    return this.state.expiresAt;
  }
  get revokedAt(): Date | null {
    return this.state.revokedAt;
  }
  get rotatedAt(): Date | null {
    return this.state.rotatedAt;
  }
  get replacedBy(): string | null {
    return this.state.replacedBy;
  }
  get userAgent(): string | null {
    return this.state.userAgent;
  }
  get ip(): string | null {
    return this.state.ip;
  }

  /** The earlier of the absolute and the idle limit. */
  endsAt(policy: SessionPolicy): Date {
    const idle = policy.idleExpiry(this.state.lastSeenAt);
    return idle < this.state.expiresAt ? idle : this.state.expiresAt;
  }

  statusAt(now: Date, policy: SessionPolicy): SessionStatus {
    if (this.state.revokedAt !== null && this.state.revokedAt <= now) return "revoked";
    if (now >= this.state.expiresAt) return "expired";
    if (now >= policy.idleExpiry(this.state.lastSeenAt)) return "idle";
    if (this.state.rotatedAt !== null) {
      return now < policy.graceEnd(this.state.rotatedAt) ? "rotated-in-grace" : "rotated-out";
    }
    return "active";
  }

  isActive(now: Date, policy: SessionPolicy): boolean {
    return this.statusAt(now, policy) === "active";
  }

  needsRotation(now: Date, policy: SessionPolicy): boolean {
    return this.state.rotatedAt === null && now >= policy.rotationDue(this.state.createdAt);
  }

  /** Whether `lastSeenAt` is stale enough to be worth a write. */
  needsTouch(now: Date, policy: SessionPolicy): boolean {
    return now >= policy.touchDue(this.state.lastSeenAt);
  }

  touch(now: Date): void {
    if (now > this.state.lastSeenAt) this.state = { ...this.state, lastSeenAt: now };
  }

  /**
   * A successor with a new id that keeps the sign-in's absolute expiry; this session is marked
   * rotated-out and stays usable only for the grace period.
   */
  rotate(successorId: string, now: Date): Session {
    this.state = { ...this.state, rotatedAt: now, replacedBy: successorId };
    return new Session({
      ...this.state,
      id: successorId,
      createdAt: now,
      lastSeenAt: now,
      revokedAt: null,
      rotatedAt: null,
      replacedBy: null,
    });
  }

  /** Whether the last authentication is younger than `maxAgeSeconds` (the step-up window). */
  isFreshAt(now: Date, maxAgeSeconds: number): boolean {
    const age = now.getTime() - this.state.lastAuthenticatedAt.getTime();
    return age >= 0 && age < maxAgeSeconds * 1000;
  }

  /**
   * The successor after a step-up: a new id (a session id never outlives an authentication), fresh
   * from `now` on the given methods, with the sign-in's absolute expiry kept. This session is marked
   * replaced; the caller ends it at once rather than leaving it a grace period.
   */
  reauthenticate(successorId: string, now: Date, methods: readonly AuthMethod[]): Session {
    const successor = this.rotate(successorId, now);
    successor.state = { ...successor.state, lastAuthenticatedAt: now, authMethods: [...methods] };
    return successor;
  }

  revoke(at: Date): void {
    if (this.state.revokedAt === null) this.state = { ...this.state, revokedAt: at };
  }

  toSnapshot(): SessionSnapshot {
    return { ...this.state };
  }
}
