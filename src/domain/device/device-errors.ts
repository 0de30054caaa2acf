import { DomainError } from "../shared/domain-error";

// The refusals of the device flow. Their codes are the RFC 6749 §5.2 / RFC 8628 §3.5 error names in
// upper case; the OAuth edge answers them in lower case, as the RFCs spell them.

export class InvalidClient extends DomainError {
  readonly code = "INVALID_CLIENT";
  constructor() {
    super("This client is not known.");
  }
}

export class AuthorizationPending extends DomainError {
  readonly code = "AUTHORIZATION_PENDING";
  constructor() {
    super("The user has not approved this device yet.");
  }
}

export class SlowDown extends DomainError {
  readonly code = "SLOW_DOWN";
  constructor(readonly intervalSeconds: number) {
    super(`Polling too fast: wait ${intervalSeconds} seconds between requests.`);
  }
}

export class AccessDenied extends DomainError {
  readonly code = "ACCESS_DENIED";
  constructor() {
    super("The user denied this device.");
  }
}

export class ExpiredToken extends DomainError {
  readonly code = "EXPIRED_TOKEN";
  constructor() {
    super("The device code has expired; start again.");
  }
}

export class InvalidGrant extends DomainError {
  readonly code = "INVALID_GRANT";
  constructor(message = "The device code is invalid or was already used.") {
    super(message);
  }
}

/** The code typed on the approval page names no device waiting for a decision (unknown, expired, decided). */
export class InvalidUserCode extends DomainError {
  readonly code = "INVALID_USER_CODE";
  constructor() {
    super("This code is not valid or has expired. Check the code shown on your device.");
  }
}
