import { addSeconds } from "../session/session-policy";
import { constantTimeEqual } from "../shared/constant-time";

/** `sign-in-challenge`: the second step of a sign-in, held in a short-lived cookie, never mailed. */
export type TokenPurpose = "verify-email" | "reset-password" | "change-email" | "sign-in-challenge";

export interface VerificationTokenSnapshot {
  readonly id: string;
  readonly userId: string;
  readonly purpose: TokenPurpose;
  /** SHA-256 of the secret sent by e-mail, hex; the secret itself is never stored. */
  readonly tokenHash: string;
  /** The address the link was sent to: verifying proves this address, not whatever the account has now. */
  readonly email: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly consumedAt: Date | null;
  /** Set when a newer token of the same purpose, a password change or a deletion voided this one. */
  readonly invalidatedAt: Date | null;
}

export class VerificationToken {
  private constructor(private state: VerificationTokenSnapshot) {}

  static create(
    props: { id: string; userId: string; purpose: TokenPurpose; tokenHash: string; email: string; ttlSeconds: number },
    now: Date,
  ): VerificationToken {
    return new VerificationToken({
      id: props.id,
      userId: props.userId,
      purpose: props.purpose,
      tokenHash: props.tokenHash,
      email: props.email,
      createdAt: now,
      expiresAt: addSeconds(now, props.ttlSeconds),
      consumedAt: null,
      invalidatedAt: null,
    });
  }

  static restore(snapshot: VerificationTokenSnapshot): VerificationToken {
    return new VerificationToken({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get userId(): string {
    return this.state.userId;
  }
  get purpose(): TokenPurpose {
    return this.state.purpose;
  }
  get tokenHash(): string {
    return this.state.tokenHash;
  }
  get email(): string {
    return this.state.email;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get expiresAt(): Date {
    return this.state.expiresAt;
  }
  get consumedAt(): Date | null {
    return this.state.consumedAt;
  }
  get invalidatedAt(): Date | null {
    return this.state.invalidatedAt;
  }

  /** Usable for this purpose and this presented hash, at this time. The hash comparison is constant-time. */
  isUsable(purpose: TokenPurpose, presentedHash: string, now: Date): boolean {
    const matches = constantTimeEqual(this.state.tokenHash, presentedHash);
    return (
      matches &&
      this.state.purpose === purpose &&
      this.state.consumedAt === null &&
      this.state.invalidatedAt === null &&
      now < this.state.expiresAt
    );
  }

  consume(at: Date): void {
    if (this.state.consumedAt === null) this.state = { ...this.state, consumedAt: at };
  }

  invalidate(at: Date): void {
    if (this.state.invalidatedAt === null) this.state = { ...this.state, invalidatedAt: at };
  }

  toSnapshot(): VerificationTokenSnapshot {
    return { ...this.state };
  }
}
