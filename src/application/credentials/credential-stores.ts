import type { ApiKeyCredentials } from "../shared/ports/bearer-credentials.port";
import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { UseCasePorts } from "../shared/use-case-ports";

/**
 * What the request check reads: the shared stores (users, sessions, and device tokens, which every
 * capability can end) and the API keys through their credential view. It owns none of them.
 */
export interface CredentialStores extends SharedStores {
  readonly apiKeys: ApiKeyCredentials;
}

export type CredentialPorts = UseCasePorts<CredentialStores>;
