import { NotFound } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { ApiKeyStores } from "./api-key-stores";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";

export interface RevokeApiKeyInput {
  readonly userId: string;
  readonly apiKeyId: string;
  readonly context?: RequestContext;
}

/** Revokes one of the user's keys; someone else's, unknown or already revoked is "not found". */
export class RevokeApiKey {
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: ApiKeyStores,
    randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: RevokeApiKeyInput): Promise<Result<void, NotFound>> {
    if (!(await this.stores.apiKeys.revoke(input.apiKeyId, input.userId, this.clock.now()))) {
      return fail(new NotFound("API key"));
    }
    await this.events.record(this.stores.events, "api-key.revoked", input.userId, input.context, { apiKeyId: input.apiKeyId });
    return ok();
  }
}
