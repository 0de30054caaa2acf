import { DomainError } from "../shared/domain-error";

/** Production without a payment provider configured: billing does not exist on this server. */
export class BillingNotConfigured extends DomainError {
  readonly code = "BILLING_NOT_CONFIGURED";
  constructor() {
    super("Billing is not set up on this server.");
  }
}

/** A webhook whose signature is missing, wrong or outside the timestamp tolerance. */
export class InvalidSignature extends DomainError {
  readonly code = "INVALID_SIGNATURE";
  constructor() {
    super("The event's signature could not be verified.");
  }
}

/** The payment provider did not answer or refused the call: try again later. */
export class BillingProviderUnavailable extends DomainError {
  readonly code = "BILLING_PROVIDER_UNAVAILABLE";
  constructor() {
    super("The payment provider could not be reached. Try again in a moment.");
  }
}

/** A second checkout while the team already pays would charge it twice: manage the plan instead. */
export class AlreadySubscribed extends DomainError {
  readonly code = "ALREADY_SUBSCRIBED";
  constructor() {
    super("This team already has a subscription. Manage it from the billing portal.");
  }
}

/** The portal needs a customer at the provider, which a team has only after its first checkout. */
export class NoBillingAccount extends DomainError {
  readonly code = "NO_BILLING_ACCOUNT";
  constructor() {
    super("This team has no billing account yet. Upgrade first.");
  }
}
