import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { UseCasePorts } from "../shared/use-case-ports";
import type { ApiKeyRepository } from "./api-key-repository.port";

/** What the API-key use cases store: the shared stores and the keys. */
export interface ApiKeyStores extends SharedStores {
  readonly apiKeys: ApiKeyRepository;
}

export type ApiKeyPorts = UseCasePorts<ApiKeyStores>;
