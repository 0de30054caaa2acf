import { DomainError } from "../shared/domain-error";

/** The actor's role in the team does not allow this. */
export class Forbidden extends DomainError {
  readonly code = "FORBIDDEN";
}

/** The change would leave the team without an owner. */
export class LastOwner extends DomainError {
  readonly code = "LAST_OWNER";
  constructor(message = "A team always keeps at least one owner. Make another member an owner first.") {
    super(message);
  }
}

export class AlreadyMember extends DomainError {
  readonly code = "ALREADY_MEMBER";
  constructor() {
    super("This person is already a member of the team.");
  }
}

/** A signed-in user opened an invitation sent to another address: the message names that address. */
export class InvitationEmailMismatch extends DomainError {
  readonly code = "INVITATION_EMAIL_MISMATCH";
  constructor(readonly invitedEmail: string) {
    super(`This invitation is for ${invitedEmail}. Sign in with that address to accept it.`);
  }
}
