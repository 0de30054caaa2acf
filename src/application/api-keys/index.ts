// API keys: issuing, listing and revoking a user's keys.
import type { UseCaseRegistry } from "../shared/use-case-ports";
import type { ApiKeyPorts } from "./api-key-stores";
import { CreateApiKey } from "./create-api-key.use-case";
import { ListApiKeys } from "./list-api-keys.use-case";
import { RevokeApiKey } from "./revoke-api-key.use-case";

/** The API-key use cases, each built from its ports: the one place they are registered. */
export const apiKeyUseCases = {
  createApiKey: (p: ApiKeyPorts) => new CreateApiKey(p.stores, p.uow, p.randomTokens, p.clock, p.settings),
  listApiKeys: (p: ApiKeyPorts) => new ListApiKeys(p.stores),
  revokeApiKey: (p: ApiKeyPorts) => new RevokeApiKey(p.stores, p.randomTokens, p.clock),
} satisfies UseCaseRegistry<ApiKeyPorts>;

export type { ApiKeyPorts, ApiKeyStores } from "./api-key-stores";
export type { ApiKeyRepository } from "./api-key-repository.port";
export { CreateApiKey, ListApiKeys, RevokeApiKey };
export { API_KEY_PREFIX_LENGTH, apiKeyPrefixOf } from "../../domain/api-key/api-key";
export type { CreateApiKeyInput, CreateApiKeyOutput } from "./create-api-key.use-case";
export type { ListApiKeysInput } from "./list-api-keys.use-case";
export type { RevokeApiKeyInput } from "./revoke-api-key.use-case";
