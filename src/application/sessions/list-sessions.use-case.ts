import type { Session } from "../../domain/session/session";
import { SessionPolicy } from "../../domain/session/session-policy";
import { ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { SharedStores } from "../shared/ports/unit-of-work.port";

export interface ListSessionsInput {
  readonly userId: string;
  /** The session of the request, flagged so the user can tell "this device" apart. */
  readonly currentSessionId: string | null;
}

export interface ListedSession {
  readonly session: Session;
  readonly current: boolean;
}

/** The user's sessions that would still let someone in: not revoked, expired, idle or rotated out. */
export class ListSessions {
  private readonly policy: SessionPolicy;

  constructor(
    private readonly stores: SharedStores,
    private readonly clock: Clock,
    settings: AuthSettings,
  ) {
    this.policy = new SessionPolicy(settings.session);
  }

  async execute(input: ListSessionsInput): Promise<Result<ListedSession[]>> {
    const now = this.clock.now();
    // Bounded like the sessions themselves: signing in ends the oldest beyond the maximum.
    const sessions = await this.stores.sessions.listUnrevokedForUser(input.userId, now, this.policy.settings.maxActivePerUser);
    return ok(
      sessions
        .filter((session) => session.isActive(now, this.policy))
        .map((session) => ({ session, current: session.id === input.currentSessionId })),
    );
  }
}
