import type { ApiKeyRepository } from "./api-key-repository.port";
import type { AuthEventLog } from "./auth-event-log.port";
import type { Outbox } from "./outbox.port";
import type { SessionRepository } from "./session-repository.port";
import type { UserRepository } from "./user-repository.port";
import type { VerificationTokenRepository } from "./verification-token-repository.port";

/** Everything that is stored, as one set so a unit of work can hand out a transactional copy. */
export interface Stores {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly tokens: VerificationTokenRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly outbox: Outbox;
  readonly events: AuthEventLog;
}

export interface UnitOfWork {
  /**
   * Runs `work` atomically against transactional stores. Commits when `work` resolves with anything
   * but a failed Result (`{ ok: false }`); rolls back when it throws or resolves a failed Result.
   */
  run<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
}
