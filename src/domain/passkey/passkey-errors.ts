import { DomainError } from "../shared/domain-error";

/** Why a passkey ceremony was refused, for the auth event log only: the client gets one message. */
export type PasskeyRefusal =
  | "challenge"
  | "verification"
  | "user-verification"
  | "unknown-credential"
  | "counter"
  | "wrong-user";

/**
 * A registration or an assertion that does not verify: unknown, expired or replayed challenge, wrong
 * origin or RP ID, no user verification, bad signature, a counter gone backwards, a credential of
 * someone else. One code and one message whatever the reason, so a client learns nothing from it.
 */
export class PasskeyRefused extends DomainError {
  readonly code = "PASSKEY_REFUSED";
  constructor(readonly reason: PasskeyRefusal) {
    super("The passkey could not be verified. Try again.");
  }
}

/** The credential is already registered (to this account or another). */
export class PasskeyAlreadyRegistered extends DomainError {
  readonly code = "PASSKEY_ALREADY_REGISTERED";
  constructor() {
    super("This passkey is already registered.");
  }
}
