import type { ApiKey } from "../../domain/api-key/api-key";
import { ok, type Result } from "../../domain/shared/result";
import type { ApiKeyStores } from "./api-key-stores";

export interface ListApiKeysInput {
  readonly userId: string;
}

/** The user's keys that still work, newest first; secrets are never part of them. */
export class ListApiKeys {
  constructor(private readonly stores: ApiKeyStores) {}

  async execute(input: ListApiKeysInput): Promise<Result<ApiKey[]>> {
    return ok(await this.stores.apiKeys.listForUser(input.userId));
  }
}
