import { DomainError } from "../shared/domain-error";

export type SecondFactorMethod = "totp" | "recovery-code";

/**
 * The password was right and the account has a second factor: no session yet. Carries the
 * challenge that the second step presents (the secret goes into a short-lived cookie, never a body).
 * Returned as a refusal on purpose: an entry point that does not know the second step fails closed.
 */
export class SecondFactorRequired extends DomainError {
  readonly code = "MFA_REQUIRED";
  constructor(
    readonly challenge: string,
    readonly methods: readonly SecondFactorMethod[],
    readonly expiresAt: Date,
  ) {
    super("Enter the code from your authenticator app, or a recovery code.");
  }
}

/** Re-authentication of an account with a second factor on, without a code. */
export class SecondFactorCodeRequired extends DomainError {
  readonly code = "MFA_CODE_REQUIRED";
  readonly fields = { code: "Enter the code from your authenticator app, or a recovery code." };
  constructor() {
    super("Two-step verification is on: enter the code from your authenticator app too.");
  }
}

/** A wrong, malformed or already used TOTP or recovery code. */
export class InvalidSecondFactorCode extends DomainError {
  readonly code = "INVALID_MFA_CODE";
  readonly fields: Readonly<Record<string, string>>;
  constructor(field: "code" | "recoveryCode") {
    super(field === "code" ? "That code is not valid. Codes work once; wait for the next one." : "That recovery code is not valid or was already used.");
    this.fields = { [field]: this.message };
  }
}

/** The second step of a sign-in without a live challenge: missing, expired, used, or for someone else. */
export class SecondFactorChallengeInvalid extends DomainError {
  readonly code = "MFA_CHALLENGE_INVALID";
  constructor() {
    super("This sign-in has expired. Enter your e-mail and password again.");
  }
}

export class SecondFactorAlreadyEnabled extends DomainError {
  readonly code = "MFA_ALREADY_ENABLED";
  constructor() {
    super("Two-step verification is already on. Turn it off first to use another authenticator.");
  }
}

export class SecondFactorNotEnabled extends DomainError {
  readonly code = "MFA_NOT_ENABLED";
  constructor() {
    super("Two-step verification is not on.");
  }
}

export class SecondFactorSetupRequired extends DomainError {
  readonly code = "MFA_SETUP_REQUIRED";
  constructor() {
    super("Start the set-up first: scan the QR code, then enter a code from the app.");
  }
}
