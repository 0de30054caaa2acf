/** Time limits of a session, in seconds. All three apply together. */
export interface SessionPolicySettings {
  /** Absolute lifetime from sign-in; never extended by activity or rotation. */
  readonly maxAgeSeconds: number;
  /** A session unused for this long ends. */
  readonly idleTimeoutSeconds: number;
  /** A session older than this is replaced by a new id on its next use. */
  readonly rotateAfterSeconds: number;
  /** How long a rotated-out id is still accepted, for requests already in flight at rotation. */
  readonly rotationGraceSeconds: number;
  /** `lastSeenAt` is written at most this often, so a busy user does not cost a write per request. */
  readonly touchIntervalSeconds: number;
  /**
   * Live sessions a user keeps at most: signing in once more ends the oldest beyond this, so the
   * sessions list stays bounded however often someone signs in.
   */
  readonly maxActivePerUser: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicySettings = {
  maxAgeSeconds: 30 * 24 * 3600,
  idleTimeoutSeconds: 7 * 24 * 3600,
  rotateAfterSeconds: 24 * 3600,
  rotationGraceSeconds: 30,
  touchIntervalSeconds: 60,
  maxActivePerUser: 50,
};

export class SessionPolicy {
  constructor(readonly settings: SessionPolicySettings = DEFAULT_SESSION_POLICY) {
    const { maxAgeSeconds, idleTimeoutSeconds, rotateAfterSeconds, rotationGraceSeconds, touchIntervalSeconds } = settings;
    for (const [name, value] of Object.entries({ maxAgeSeconds, idleTimeoutSeconds, rotateAfterSeconds })) {
      if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of seconds`);
    }
    if (rotationGraceSeconds < 0 || touchIntervalSeconds < 0) throw new RangeError("grace and touch interval must be ≥ 0");
    if (!Number.isInteger(settings.maxActivePerUser) || settings.maxActivePerUser < 1) {
      throw new RangeError("maxActivePerUser must be a whole number ≥ 1");
    }
  }

  absoluteExpiry(authenticatedAt: Date): Date {
    return addSeconds(authenticatedAt, this.settings.maxAgeSeconds);
  }

  idleExpiry(lastSeenAt: Date): Date {
    return addSeconds(lastSeenAt, this.settings.idleTimeoutSeconds);
  }

  rotationDue(issuedAt: Date): Date {
    return addSeconds(issuedAt, this.settings.rotateAfterSeconds);
  }

  graceEnd(rotatedAt: Date): Date {
    return addSeconds(rotatedAt, this.settings.rotationGraceSeconds);
  }

  /**
   * Never less often than a tenth of the idle limit: with a short idle limit a fixed interval would
   * leave lastSeenAt unwritten until the session had already gone idle, signing out an active user.
   */
  touchDue(lastSeenAt: Date): Date {
    const { touchIntervalSeconds, idleTimeoutSeconds } = this.settings;
    return addSeconds(lastSeenAt, Math.min(touchIntervalSeconds, idleTimeoutSeconds / 10));
  }
}

export function addSeconds(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * 1000);
}
