/**
 * A user's TOTP authenticator (RFC 6238: SHA-1, 6 digits, 30-second steps). It is set up first
 * (pending: the secret has been shown, no code proved yet) and turned on by a valid code. The last
 * accepted time step is kept, so a code works once: no step at or before it is accepted again, the
 * enrolment code's included. The secret is held in plain here; the store keeps it encrypted.
 */
export interface TotpFactorSnapshot {
  readonly userId: string;
  /** Base32 seed from a CSPRNG. */
  readonly secret: string;
  readonly createdAt: Date;
  /** Null while pending. */
  readonly enabledAt: Date | null;
  /** The newest time step a code was accepted for; null before the first. */
  readonly lastUsedStep: number | null;
}

export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Steps accepted either side of the current one, for clock drift. */
export const TOTP_WINDOW_STEPS = 1;

export class TotpFactor {
  private constructor(private readonly state: TotpFactorSnapshot) {}

  static pending(props: { userId: string; secret: string }, now: Date): TotpFactor {
    return new TotpFactor({ userId: props.userId, secret: props.secret, createdAt: now, enabledAt: null, lastUsedStep: null });
  }

  static restore(snapshot: TotpFactorSnapshot): TotpFactor {
    return new TotpFactor({ ...snapshot });
  }

  get userId(): string {
    return this.state.userId;
  }
  get secret(): string {
    return this.state.secret;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get enabledAt(): Date | null {
    return this.state.enabledAt;
  }
  get lastUsedStep(): number | null {
    return this.state.lastUsedStep;
  }
  get isEnabled(): boolean {
    return this.state.enabledAt !== null;
  }

  /** Whether a code of `step` may still be accepted: only steps after the last accepted one. */
  acceptsStep(step: number): boolean {
    return this.state.lastUsedStep === null || step > this.state.lastUsedStep;
  }

  toSnapshot(): TotpFactorSnapshot {
    return { ...this.state };
  }
}

/** The six digits of a code as typed (spaces allowed, as apps show "123 456"); null when it cannot be one. */
export function totpCode(raw: unknown): string | null {
  if (typeof raw !== "string" || raw.length > 32) return null;
  const digits = raw.replace(/[\s-]/g, "");
  return new RegExp(`^[0-9]{${TOTP_DIGITS}}$`).test(digits) ? digits : null;
}
