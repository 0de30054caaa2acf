import { ok, type Result } from "../../domain/shared/result";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";

export interface RevokeAllSessionsInput {
  readonly userId: string;
  readonly context?: RequestContext;
}

export interface RevokeAllSessionsOutput {
  readonly revoked: number;
}

/** Sign out everywhere, this browser and every device token included. */
export class RevokeAllSessions {
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: SharedStores,
    randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: RevokeAllSessionsInput): Promise<Result<RevokeAllSessionsOutput>> {
    const now = this.clock.now();
    const revoked = await this.stores.sessions.revokeAllForUser(input.userId, now);
    // "Sign out everywhere" includes the devices signed in through the device flow.
    await this.stores.deviceTokens.revokeAllForUser(input.userId, now);
    if (await this.stores.users.findById(input.userId)) {
      await this.events.record(this.stores.events, "sessions.revoked-all", input.userId, input.context, { count: String(revoked) });
    }
    return ok({ revoked });
  }
}
