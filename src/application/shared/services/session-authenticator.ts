import type { Session } from "../../../domain/session/session";
import { SessionPolicy } from "../../../domain/session/session-policy";
import { Unauthenticated } from "../../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../../domain/shared/result";
import type { User } from "../../../domain/identity/user";
import type { AuthSettings } from "../auth-settings";
import type { Clock } from "../ports/clock.port";
import type { RandomTokens } from "../ports/random-tokens.port";
import type { SessionRepository } from "../ports/session-repository.port";
import type { SessionTokens } from "../ports/session-tokens.port";
import type { SharedStores } from "../ports/unit-of-work.port";
import type { RequestContext } from "../request-context";
import { AuthEvents } from "./auth-events";
import { SessionIssuer } from "./session-issuer";

export interface AuthenticatedSession {
  readonly user: User;
  /** The session now in force (a successor if this request rotated it or came in with an old id). */
  readonly session: Session;
  /** Set only when the cookie must change: the client gets this new value. */
  readonly token?: string;
}

// Rotation chains are one link long in practice; a corrupt loop must not spin for ever.
const MAX_HOPS = 4;

/**
 * Who is this request, by its session cookie? The signed token only names a session; the server-side
 * row decides, so a revoked session is refused on the very next request. Rotation happens here, on use.
 * Shared by the sessions capability's check and the credentials capability's check of any kind.
 */
export class SessionAuthenticator {
  private readonly policy: SessionPolicy;
  private readonly issuer: SessionIssuer;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: SharedStores,
    private readonly sessionTokens: SessionTokens,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
    settings: AuthSettings,
  ) {
    this.policy = new SessionPolicy(settings.session);
    this.issuer = new SessionIssuer(sessionTokens, randomTokens, this.policy);
    this.events = new AuthEvents(randomTokens, clock);
  }

  async authenticate(token: string | null | undefined, context?: RequestContext): Promise<Result<AuthenticatedSession, Unauthenticated>> {
    if (!token) return fail(new Unauthenticated());
    const now = this.clock.now();
    const claims = await this.sessionTokens.verify(token, now);
    if (!claims) return fail(new Unauthenticated());
    const sessions = this.stores.sessions;
    const presented = await sessions.findById(claims.sid);
    if (!presented || presented.userId !== claims.sub) return fail(new Unauthenticated());

    let current = await this.followToLive(sessions, presented, now);
    if (!current) return fail(new Unauthenticated());
    if (current.needsRotation(now, this.policy)) {
      current = await this.rotate(sessions, current, now, context);
      if (!current) return fail(new Unauthenticated());
    }

    const user = await this.stores.users.findById(current.userId);
    if (!user) return fail(new Unauthenticated());

    if (current.needsTouch(now, this.policy)) {
      await sessions.touch(current.id, now);
      current.touch(now);
    }
    const changed = current.id !== presented.id;
    if (!changed) return ok({ user, session: current });
    return ok({ user, session: current, token: await this.issuer.tokenFor(current, now) });
  }

  /** The active session this one leads to: itself, or its successor while it is inside its grace. */
  private async followToLive(sessions: SessionRepository, session: Session, now: Date): Promise<Session | null> {
    let current = session;
    for (let hops = 0; hops <= MAX_HOPS; hops++) {
      const status = current.statusAt(now, this.policy);
      if (status === "active") return current;
      if (status !== "rotated-in-grace" || current.replacedBy === null) return null;
      const next = await sessions.findById(current.replacedBy);
      if (!next || next.userId !== session.userId) return null;
      current = next;
    }
    return null;
  }

  /**
   * Replaces the session by a successor with a new id. The repository's compare-and-set lets one
   * request win; a request that loses takes the winner's successor, so concurrent requests never
   * fork the session nor sign the user out.
   */
  private async rotate(sessions: SessionRepository, session: Session, now: Date, context?: RequestContext): Promise<Session | null> {
    const successor = session.rotate(this.randomTokens.newId(), now);
    if (await sessions.rotate(session, successor)) {
      await this.events.record(this.stores.events, "session.rotated", session.userId, context);
      return successor;
    }
    const fresh = await sessions.findById(session.id);
    if (!fresh || fresh.replacedBy === null) return null;
    return this.followToLive(sessions, fresh, now);
  }
}
