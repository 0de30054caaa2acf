import { ReauthenticationRequired } from "../../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../../domain/shared/result";
import type { SessionRepository } from "../ports/session-repository.port";

/**
 * The step-up rule of the gate: a sensitive action needs a session whose last authentication (sign-in
 * or re-authentication) is younger than `FRESH_AUTH_MAX_AGE`. The session is read from the store, as
 * it is now, so a caller cannot vouch for freshness it does not have.
 */
export class FreshAuthentication {
  constructor(private readonly maxAgeSeconds: number) {}

  async require(sessions: SessionRepository, sessionId: string, now: Date): Promise<Result<void, ReauthenticationRequired>> {
    const session = typeof sessionId === "string" && sessionId.length > 0 ? await sessions.findById(sessionId) : null;
    if (!session || !session.isFreshAt(now, this.maxAgeSeconds)) return fail(new ReauthenticationRequired());
    return ok();
  }
}
