import { ok, type Result } from "../../domain/shared/result";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { SessionTokens } from "../shared/ports/session-tokens.port";
import type { IdentityStores } from "./identity-stores";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { revokeSessionChain } from "../shared/services/session-issuer";

export interface SignOutInput {
  /** The session cookie value. */
  readonly token: string | null | undefined;
  readonly context?: RequestContext;
}

/**
 * Ends the session the cookie names, with its rotation successor or predecessor. Always succeeds:
 * signing out with a cookie that is already invalid still clears it on the client.
 */
export class SignOut {
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: IdentityStores,
    private readonly sessionTokens: SessionTokens,
    randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: SignOutInput): Promise<Result<void>> {
    if (!input.token) return ok();
    const now = this.clock.now();
    const claims = await this.sessionTokens.verify(input.token, now);
    if (!claims) return ok();
    const session = await this.stores.sessions.findById(claims.sid);
    if (!session || session.userId !== claims.sub || session.revokedAt !== null) return ok();
    await revokeSessionChain(this.stores.sessions, session, now);
    await this.events.record(this.stores.events, "sign-out", session.userId, input.context);
    return ok();
  }
}
