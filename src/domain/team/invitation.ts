import type { Email } from "../identity/email";
import type { User } from "../identity/user";
import { addSeconds } from "../session/session-policy";
import { constantTimeEqual } from "../shared/constant-time";
import { EmailNotVerified, InvalidToken } from "../shared/domain-error";
import { fail, ok, type Result } from "../shared/result";
import { InvitationEmailMismatch } from "./team-errors";
import type { TeamRole } from "./team-role";

export interface InvitationSnapshot {
  readonly id: string;
  readonly teamId: string;
  /** Canonical address (see Email): the only account that may accept is the one verified for it. */
  readonly email: string;
  readonly role: TeamRole;
  /** SHA-256 of the secret mailed in the link, hex; the secret is never stored, and it is not the id. */
  readonly tokenHash: string;
  /** Null once the inviter's account is gone; the link stays valid. */
  readonly invitedBy: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly acceptedAt: Date | null;
  readonly declinedAt: Date | null;
  /** Revoked by an owner or admin, or voided by a newer invitation to the same address. */
  readonly invalidatedAt: Date | null;
}

export class Invitation {
  private constructor(private readonly state: InvitationSnapshot) {}

  static create(
    props: { id: string; teamId: string; email: Email; role: TeamRole; tokenHash: string; invitedBy: string; ttlSeconds: number },
    now: Date,
  ): Invitation {
    return new Invitation({
      id: props.id,
      teamId: props.teamId,
      email: props.email.value,
      role: props.role,
      tokenHash: props.tokenHash,
      invitedBy: props.invitedBy,
      createdAt: now,
      expiresAt: addSeconds(now, props.ttlSeconds),
      acceptedAt: null,
      declinedAt: null,
      invalidatedAt: null,
    });
  }

  static restore(snapshot: InvitationSnapshot): Invitation {
    return new Invitation({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get teamId(): string {
    return this.state.teamId;
  }
  get email(): string {
    return this.state.email;
  }
  get role(): TeamRole {
    return this.state.role;
  }
  get tokenHash(): string {
    return this.state.tokenHash;
  }
  get invitedBy(): string | null {
    return this.state.invitedBy;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get expiresAt(): Date {
    return this.state.expiresAt;
  }
  get acceptedAt(): Date | null {
    return this.state.acceptedAt;
  }
  get declinedAt(): Date | null {
    return this.state.declinedAt;
  }
  get invalidatedAt(): Date | null {
    return this.state.invalidatedAt;
  }

  isPending(now: Date): boolean {
    return this.state.acceptedAt === null && this.state.declinedAt === null && this.state.invalidatedAt === null && now < this.state.expiresAt;
  }

  /** Pending, and the presented hash is this one's (compared in constant time). */
  isUsable(presentedHash: string, now: Date): Result<void, InvalidToken> {
    return constantTimeEqual(this.state.tokenHash, presentedHash) && this.isPending(now) ? ok() : fail(new InvalidToken());
  }

  /**
   * Only a user whose address is verified and is, canonically, the invited one may accept. Both sides
   * are canonical Email values (NFKC, lower-cased, no invisible characters), so a look-alike address is
   * another address; an unverified account registered to the invited address accepts nothing.
   */
  mayBeAcceptedBy(user: User): Result<void, EmailNotVerified | InvitationEmailMismatch> {
    if (!user.emailVerified) return fail(new EmailNotVerified());
    if (!constantTimeEqual(user.email, this.state.email)) return fail(new InvitationEmailMismatch(this.state.email));
    return ok();
  }

  toSnapshot(): InvitationSnapshot {
    return { ...this.state };
  }
}
