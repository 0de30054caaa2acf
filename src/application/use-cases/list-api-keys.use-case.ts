import type { ApiKey } from "../../domain/api-key/api-key";
import { ok, type Result } from "../../domain/shared/result";
import type { Stores } from "../ports/unit-of-work.port";

export interface ListApiKeysInput {
  readonly userId: string;
}

/** The user's keys that still work, newest first; secrets are never part of them. */
export class ListApiKeys {
  constructor(private readonly stores: Stores) {}

  async execute(input: ListApiKeysInput): Promise<Result<ApiKey[]>> {
    return ok(await this.stores.apiKeys.listForUser(input.userId));
  }
}
