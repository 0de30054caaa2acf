import type { AuthEventLog } from "./auth-event-log.port";
import type { DeviceTokenCredentials } from "./bearer-credentials.port";
import type { Outbox } from "./outbox.port";
import type { SecondFactorCredentials, SignInChallenges } from "./second-factor.port";
import type { SessionRepository } from "./session-repository.port";
import type { UserRepository } from "./user-repository.port";

/**
 * The stores every capability uses. A capability adds the ones only it needs (`IdentityStores`,
 * `ApiKeyStores`…); the full set is composed where capabilities meet, in the adapters and the
 * composition root, so this shared file never names a capability's types.
 */
export interface SharedStores {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly outbox: Outbox;
  readonly events: AuthEventLog;
  /** Device tokens, as far as ending them with the user's sessions goes (the devices capability owns them). */
  readonly deviceTokens: DeviceTokenCredentials;
  /** The second factor, as far as sign-in and re-authentication check it (the mfa capability owns it). */
  readonly secondFactors: SecondFactorCredentials;
  /** Pending second steps of sign-ins. */
  readonly signInChallenges: SignInChallenges;
}

export interface UnitOfWork<S extends SharedStores = SharedStores> {
  /**
   * Runs `work` atomically against transactional stores. Commits when `work` resolves with anything
   * but a failed Result (`{ ok: false }`); rolls back when it throws or resolves a failed Result.
   */
  run<T>(work: (stores: S) => Promise<T>): Promise<T>;
}
