import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { UseCasePorts } from "../shared/use-case-ports";
import type { MfaRepository } from "./mfa-repository.port";

/** What the mfa use cases store: the shared stores, with the second factor as its owner sees it. */
export interface MfaStores extends SharedStores {
  readonly secondFactors: MfaRepository;
}

export type MfaPorts = UseCasePorts<MfaStores>;
