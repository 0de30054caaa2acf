import { Session, type AuthMethod } from "../../../domain/session/session";
import type { SessionPolicy } from "../../../domain/session/session-policy";
import type { RandomTokens } from "../ports/random-tokens.port";
import type { SessionRepository } from "../ports/session-repository.port";
import type { SessionTokens } from "../ports/session-tokens.port";
import type { RequestContext } from "../request-context";

/**
 * Creates sessions and the cookie tokens that name them. A session id always comes from the
 * CSPRNG here, never from the client; the token expires with the session's absolute lifetime.
 */
export class SessionIssuer {
  constructor(
    private readonly sessionTokens: SessionTokens,
    private readonly randomTokens: RandomTokens,
    private readonly policy: SessionPolicy,
  ) {}

  /**
   * A new session row in `sessions` (pass the unit of work's repository to keep it atomic). The user's
   * oldest live sessions beyond the policy's maximum end here, so their number stays bounded.
   */
  async open(
    sessions: SessionRepository,
    userId: string,
    context: RequestContext,
    now: Date,
    authMethods: readonly AuthMethod[] = ["password"],
  ): Promise<Session> {
    const session = Session.create(
      { id: this.randomTokens.newId(), userId, userAgent: context.userAgent, ip: context.ip, authMethods },
      this.policy,
      now,
    );
    await sessions.insert(session);
    await sessions.revokeBeyondNewest(userId, this.policy.settings.maxActivePerUser, now);
    return session;
  }

  tokenFor(session: Session, now: Date): Promise<string> {
    return this.sessionTokens.sign({ sub: session.userId, sid: session.id, issuedAt: now, expiresAt: session.expiresAt });
  }

  /**
   * Ends the session named by a cookie presented when signing in or up: a new sign-in always gets a
   * new session, and the old one must not stay usable beside it. Anything unverifiable is ignored.
   */
  async endPresented(sessions: SessionRepository, token: string | null | undefined, now: Date): Promise<void> {
    if (!token) return;
    const claims = await this.sessionTokens.verify(token, now);
    if (!claims) return;
    const previous = await sessions.findById(claims.sid);
    if (previous) await revokeSessionChain(sessions, previous, now);
  }
}

/**
 * Ends the session a client holds, wherever it is in its rotation chain: an old cookie still inside
 * its grace ends the successor too, and the repository ends a predecessor still in its grace.
 */
export async function revokeSessionChain(sessions: SessionRepository, session: Session, at: Date): Promise<void> {
  let newest = session;
  // A chain is one or two links long in practice; the bound only guards against a corrupt loop.
  for (let hops = 0; newest.replacedBy !== null && hops < 16; hops++) {
    const next = await sessions.findById(newest.replacedBy);
    if (!next) break;
    newest = next;
  }
  await sessions.revoke(newest.id, at);
  if (newest.id !== session.id) await sessions.revoke(session.id, at);
}
