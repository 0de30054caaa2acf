export interface DeviceTokenSnapshot {
  readonly id: string;
  readonly userId: string;
  /** The device authorization it was minted from: one token per authorization, never two. */
  readonly authorizationId: string;
  /** The configured first-party client, by id and by the name configured for it (never a name the device sent). */
  readonly clientId: string;
  readonly clientName: string;
  /** Public, indexed part of the token, used to find it. */
  readonly prefix: string;
  /** SHA-256 of the whole secret, hex. */
  readonly secretHash: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  /** The address the device asked for its code from. */
  readonly ip: string | null;
}

/** An access token handed to a device at the end of the device flow: a bearer credential of kind "device". */
export class DeviceToken {
  private constructor(private state: DeviceTokenSnapshot) {}

  static create(
    props: Omit<DeviceTokenSnapshot, "createdAt" | "lastUsedAt" | "revokedAt" | "expiresAt">,
    now: Date,
    ttlSeconds: number,
  ): DeviceToken {
    if (!(ttlSeconds > 0)) throw new RangeError("a device token must live a positive time");
    return new DeviceToken({ ...props, createdAt: now, lastUsedAt: null, revokedAt: null, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) });
  }

  static restore(snapshot: DeviceTokenSnapshot): DeviceToken {
    return new DeviceToken({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get userId(): string {
    return this.state.userId;
  }
  get authorizationId(): string {
    return this.state.authorizationId;
  }
  get clientId(): string {
    return this.state.clientId;
  }
  get clientName(): string {
    return this.state.clientName;
  }
  get prefix(): string {
    return this.state.prefix;
  }
  get secretHash(): string {
    return this.state.secretHash;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get lastUsedAt(): Date | null {
    return this.state.lastUsedAt;
  }
  get expiresAt(): Date {
    return this.state.expiresAt;
  }
  get revokedAt(): Date | null {
    return this.state.revokedAt;
  }
  get ip(): string | null {
    return this.state.ip;
  }

  isActive(now: Date): boolean {
    return this.state.revokedAt === null && now.getTime() < this.state.expiresAt.getTime();
  }

  /** Seconds left, for the token response's `expires_in`. */
  secondsLeft(now: Date): number {
    return Math.max(0, Math.floor((this.state.expiresAt.getTime() - now.getTime()) / 1000));
  }

  toSnapshot(): DeviceTokenSnapshot {
    return { ...this.state };
  }
}

/** `nah_dt_<prefix>_<secret>`: recognisable as a device token, in logs and by secret scanners alike. */
export const DEVICE_TOKEN_KIND_PREFIX = "nah_dt_";
export const DEVICE_TOKEN_PREFIX_LENGTH = 16;

/** Parses `nah_dt_<prefix>_<secret>` into the prefix used to find the token; null when malformed. */
export function deviceTokenPrefixOf(presented: string): string | null {
  const match = /^nah_dt_([0-9a-f]{16})_[A-Za-z0-9_-]{43,}$/.exec(presented);
  return match ? match[1]! : null;
}
