import { NotFound } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { revokeSessionChain } from "../shared/services/session-issuer";

export interface RevokeSessionInput {
  readonly userId: string;
  readonly sessionId: string;
  readonly context?: RequestContext;
}

/** Signs one of the user's devices out. Another user's session is "not found", never "forbidden". */
export class RevokeSession {
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: SharedStores,
    randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: RevokeSessionInput): Promise<Result<void, NotFound>> {
    const session = await this.stores.sessions.findById(input.sessionId);
    if (!session || session.userId !== input.userId) return fail(new NotFound("Session"));
    const now = this.clock.now();
    await revokeSessionChain(this.stores.sessions, session, now);
    await this.events.record(this.stores.events, "session.revoked", input.userId, input.context);
    return ok();
  }
}
