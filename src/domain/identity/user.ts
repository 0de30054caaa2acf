import type { Email } from "./email";
import type { PasswordHash } from "./password";

export interface UserSnapshot {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: PasswordHash;
  readonly emailVerifiedAt: Date | null;
  readonly passwordChangedAt: Date;
  readonly createdAt: Date;
}

export class User {
  private constructor(private state: UserSnapshot) {}

  static create(props: { id: string; email: Email; passwordHash: PasswordHash }, now: Date): User {
    return new User({
      id: props.id,
      email: props.email.value,
      passwordHash: props.passwordHash,
      emailVerifiedAt: null,
      passwordChangedAt: now,
      createdAt: now,
    });
  }

  static restore(snapshot: UserSnapshot): User {
    return new User({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get email(): string {
    return this.state.email;
  }
  get passwordHash(): PasswordHash {
    return this.state.passwordHash;
  }
  get emailVerified(): boolean {
    return this.state.emailVerifiedAt !== null;
  }
  get emailVerifiedAt(): Date | null {
    return this.state.emailVerifiedAt;
  }
  get passwordChangedAt(): Date {
    return this.state.passwordChangedAt;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }

  markEmailVerified(at: Date): void {
    if (this.state.emailVerifiedAt === null) this.state = { ...this.state, emailVerifiedAt: at };
  }

  /** The address moves only once the new mailbox confirmed it, so it is verified from that moment. */
  changeEmail(email: Email, at: Date): void {
    this.state = { ...this.state, email: email.value, emailVerifiedAt: at };
  }

  changePassword(hash: PasswordHash, at: Date): void {
    this.state = { ...this.state, passwordHash: hash, passwordChangedAt: at };
  }

  /** Same password, stronger parameters: not a password change, sessions stay. */
  upgradePasswordHash(hash: PasswordHash): void {
    this.state = { ...this.state, passwordHash: hash };
  }

  toSnapshot(): UserSnapshot {
    return { ...this.state };
  }
}
