import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { UseCasePorts } from "../shared/use-case-ports";
import type { TeamOwnership } from "./team-ownership.port";
import type { VerificationTokenRepository } from "./verification-token-repository.port";

/** What the identity use cases store: the shared stores and the e-mail tokens. */
export interface IdentityStores extends SharedStores {
  readonly tokens: VerificationTokenRepository;
  readonly teamOwnership: TeamOwnership;
}

export type IdentityPorts = UseCasePorts<IdentityStores>;
