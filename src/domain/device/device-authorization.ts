export type DeviceAuthorizationStatus = "pending" | "approved" | "denied" | "redeemed";

export interface DeviceAuthorizationSnapshot {
  readonly id: string;
  /** SHA-256 of the device_code, hex: the code itself is only ever known to the device. */
  readonly deviceCodeHash: string;
  /** Canonical user code (8 letters, no dash). */
  readonly userCode: string;
  readonly clientId: string;
  readonly scope: string | null;
  readonly status: DeviceAuthorizationStatus;
  /** Who approved or denied it; null while pending. */
  readonly userId: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly decidedAt: Date | null;
  /** Seconds a device must wait between polls; grows by SLOW_DOWN_STEP_SECONDS at each `slow_down`. */
  readonly intervalSeconds: number;
  /** The last poll that was answered (a poll refused with `slow_down` is not recorded). */
  readonly lastPolledAt: Date | null;
  /** The address the device asked from, shown on the approval page. */
  readonly requestIp: string | null;
}

/** RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests". */
export const SLOW_DOWN_STEP_SECONDS = 5;
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;

/** What a poll finds, before any throttling by interval. */
export type PollState = "pending" | "approved" | "denied" | "expired" | "redeemed";

/** One run of the RFC 8628 device flow: a device code and its user code, waiting for a user's decision. */
export class DeviceAuthorization {
  private constructor(private state: DeviceAuthorizationSnapshot) {}

  static create(
    props: Pick<DeviceAuthorizationSnapshot, "id" | "deviceCodeHash" | "userCode" | "clientId" | "scope" | "requestIp">,
    now: Date,
    ttlSeconds: number,
    intervalSeconds = DEFAULT_POLL_INTERVAL_SECONDS,
  ): DeviceAuthorization {
    if (!(ttlSeconds > 0)) throw new RangeError("a device code must live a positive time");
    return new DeviceAuthorization({
      ...props,
      status: "pending",
      userId: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      decidedAt: null,
      intervalSeconds,
      lastPolledAt: null,
    });
  }

  static restore(snapshot: DeviceAuthorizationSnapshot): DeviceAuthorization {
    return new DeviceAuthorization({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get deviceCodeHash(): string {
    return this.state.deviceCodeHash;
  }
  get userCode(): string {
    return this.state.userCode;
  }
  get clientId(): string {
    return this.state.clientId;
  }
  get scope(): string | null {
    return this.state.scope;
  }
  get status(): DeviceAuthorizationStatus {
    return this.state.status;
  }
  get userId(): string | null {
    return this.state.userId;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get expiresAt(): Date {
    return this.state.expiresAt;
  }
  get decidedAt(): Date | null {
    return this.state.decidedAt;
  }
  get intervalSeconds(): number {
    return this.state.intervalSeconds;
  }
  get lastPolledAt(): Date | null {
    return this.state.lastPolledAt;
  }
  get requestIp(): string | null {
    return this.state.requestIp;
  }

  isExpired(now: Date): boolean {
    return now.getTime() >= this.state.expiresAt.getTime();
  }

  /** Open for a decision: pending and not expired. Denied, approved, redeemed and expired codes are dead to the page. */
  isAwaitingDecision(now: Date): boolean {
    return this.state.status === "pending" && !this.isExpired(now);
  }

  /** An approved code past its lifetime is dead too: the device had the whole lifetime to collect it. */
  pollState(now: Date): PollState {
    if (this.state.status === "redeemed") return "redeemed";
    if (this.state.status === "denied") return "denied";
    if (this.isExpired(now)) return "expired";
    return this.state.status;
  }

  secondsLeft(now: Date): number {
    return Math.max(0, Math.floor((this.state.expiresAt.getTime() - now.getTime()) / 1000));
  }

  toSnapshot(): DeviceAuthorizationSnapshot {
    return { ...this.state };
  }
}
