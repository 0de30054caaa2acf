/** A refusal the product expects and explains; `code` is stable and part of the public contract. */
export abstract class DomainError {
  abstract readonly code: string;
  constructor(readonly message: string) {}
}

export class InvalidEmail extends DomainError {
  readonly code = "INVALID_EMAIL";
}

export type PasswordRejection = "TOO_SHORT" | "TOO_LONG" | "COMMON" | "CONTAINS_EMAIL" | "MALFORMED";

export class WeakPassword extends DomainError {
  readonly code = "WEAK_PASSWORD";
  constructor(
    readonly reason: PasswordRejection,
    message: string,
  ) {
    super(message);
  }
}

export class EmailTaken extends DomainError {
  readonly code = "EMAIL_TAKEN";
  constructor() {
    super("An account with this e-mail already exists.");
  }
}

/**
 * The address is not an account's, but looks like one's: written in another script with letters that
 * look the same (the same skeleton, see `emailSkeleton`). Said where the person entering it is not the
 * one who would own it (an invitation), so a mistyped or forged address is caught before a link goes out.
 */
export class LookAlikeEmail extends DomainError {
  readonly code = "LOOK_ALIKE_EMAIL";
  readonly fields: Readonly<Record<string, string>>;
  constructor() {
    super("This address looks like the address of an existing account but is not the same: some letters are from another alphabet. Type the address again.");
    this.fields = { email: this.message };
  }
}

export class InvalidCredentials extends DomainError {
  readonly code = "INVALID_CREDENTIALS";
  constructor() {
    super("The e-mail or password is incorrect.");
  }
}

export class Unauthenticated extends DomainError {
  readonly code = "UNAUTHENTICATED";
  constructor() {
    super("You are not signed in, or your session has ended.");
  }
}

export class EmailNotVerified extends DomainError {
  readonly code = "EMAIL_NOT_VERIFIED";
  constructor() {
    super("Verify your e-mail address before doing this.");
  }
}

/** A sensitive action on a session whose last authentication is older than the step-up window. */
export class ReauthenticationRequired extends DomainError {
  readonly code = "REAUTHENTICATION_REQUIRED";
  constructor() {
    super("Confirm it is you: enter your password again, then repeat this.");
  }
}

export class InvalidToken extends DomainError {
  readonly code = "INVALID_TOKEN";
  constructor() {
    super("This link is invalid, was already used or has expired.");
  }
}

export class NotFound extends DomainError {
  readonly code = "NOT_FOUND";
  constructor(what: string) {
    super(`${what} was not found.`);
  }
}

/** Too many attempts; `retryAfterSeconds` tells the client when to try again. */
export class RateLimited extends DomainError {
  readonly code = "RATE_LIMITED";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${retryAfterSeconds} seconds.`);
  }
}

/** Too many consecutive failed sign-ins: the account only opens again through a password reset. */
export class AccountLocked extends DomainError {
  readonly code = "ACCOUNT_LOCKED";
  constructor(readonly retryAfterSeconds: number) {
    super("Too many failed sign-ins. Reset your password to sign in again.");
  }
}

export class InvalidInput extends DomainError {
  readonly code = "VALIDATION_FAILED";
  constructor(
    message: string,
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
