import {
  Unauthenticated,
  type AccountLocked,
  type InvalidCredentials,
  type RateLimited,
  type ReauthenticationRequired,
} from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import { LastOwner } from "../../domain/team/team-errors";
import type { AuthSettings } from "../shared/auth-settings";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { Clock } from "../shared/ports/clock.port";
import type { PasswordHasher } from "../shared/ports/password-hasher.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { IdentityStores } from "./identity-stores";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { Reauthentication } from "../shared/services/reauthentication";
import { FreshAuthentication } from "../shared/services/fresh-authentication";
import { secondFactorMethods } from "../shared/services/second-factor-check";

export interface DeleteAccountInput {
  readonly userId: string;
  readonly password: string;
  /**
   * The session asking. Without a second factor the password typed with the request is the fresh
   * authentication; with one on, the password alone would skip the factor, so the session must also
   * be fresh (a step-up that took the code). Missing, it counts as stale.
   */
  readonly sessionId?: string;
  readonly context?: RequestContext;
}

export type DeleteAccountError = Unauthenticated | InvalidCredentials | RateLimited | AccountLocked | LastOwner | ReauthenticationRequired;

/**
 * Deletes the account and everything of its owner (sessions, tokens, API keys, events) once the
 * password is proven. A team the account is the last owner of is never left without one: while
 * other people are in it the deletion is refused; a team with nobody else in it goes with the
 * account. What remains is one event without an address, so the operator can tell a
 * deletion happened.
 */
export class DeleteAccount {
  private readonly reauthentication: Reauthentication;
  private readonly fresh: FreshAuthentication;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: IdentityStores,
    private readonly uow: UnitOfWork<IdentityStores>,
    hasher: PasswordHasher,
    randomTokens: RandomTokens,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    settings: AuthSettings,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.reauthentication = new Reauthentication(hasher, rateLimits, settings, metrics);
    this.fresh = new FreshAuthentication(settings.freshAuthMaxAgeSeconds);
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: DeleteAccountInput): Promise<Result<void, DeleteAccountError>> {
    const now = this.clock.now();
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    if ((await secondFactorMethods(this.stores, user.id)).length > 0) {
      const fresh = await this.fresh.require(this.stores.sessions, input.sessionId ?? "", now);
      if (!fresh.ok) return fresh;
    }
    const proven = await this.reauthentication.verify(user, input.password, input.context, now);
    if (!proven.ok) {
      await this.events.record(this.stores.events, "sign-in.failed", user.id, input.context, { reason: "reauthentication" });
      return proven;
    }
    return this.uow.run(async (stores) => {
      if ((await stores.teamOwnership.teamsLeftWithoutOwner(user.id)).length > 0) {
        return fail(
          new LastOwner("You are the last owner of a team with other members. Make another member an owner, or delete the team, first."),
        );
      }
      await stores.teamOwnership.deleteTeamsOnlyOf(user.id);
      // Sessions end explicitly before the row goes, so a cache keyed by session id sees a revocation.
      await stores.sessions.revokeAllForUser(user.id, now);
      await stores.deviceTokens.revokeAllForUser(user.id, now);
      await stores.users.delete(user.id);
      await this.events.record(stores.events, "account.deleted", null, input.context, { userId: user.id });
      return ok();
    });
  }
}
