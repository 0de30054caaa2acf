import { InMemoryPasskeyChallengeRepository, InMemoryPasskeyRepository } from "./credentials/in-memory-passkey.repositories";
import type { Clock } from "../../../application/shared/ports/clock.port";
import type { Stores, UnitOfWork } from "../stores";
import { isFailure } from "../../../domain/shared/result";
import { InMemoryBillingEventLog, InMemorySubscriptionRepository } from "./in-memory-billing.repositories";
import { InMemoryApiKeyRepository } from "./credentials/in-memory-api-key.repository";
import { InMemoryAuthEventLog } from "./in-memory-auth-event-log";
import { InMemoryInvitationRepository } from "./in-memory-invitation.repository";
import { InMemoryDeviceAuthorizationRepository, InMemoryDeviceTokenRepository } from "./credentials/in-memory-device.repositories";
import { TableAccess, UndoLog, type InMemoryDatabase } from "./in-memory-database";
import { InMemoryMfaRepository } from "./credentials/in-memory-mfa.repository";
import { InMemoryOutbox } from "./in-memory-outbox";
import { InMemoryRetentionStore } from "./in-memory-retention-store";
import { InMemorySessionRepository } from "./in-memory-session.repository";
import { InMemoryTeamRepository } from "./in-memory-team.repository";
import { InMemoryUserRepository } from "./in-memory-user.repository";
import { InMemoryVerificationTokenRepository } from "./in-memory-verification-token.repository";

export interface InMemoryStoreSet extends Stores {
  readonly users: InMemoryUserRepository;
  readonly sessions: InMemorySessionRepository;
  readonly tokens: InMemoryVerificationTokenRepository;
  readonly apiKeys: InMemoryApiKeyRepository;
  readonly teams: InMemoryTeamRepository;
  readonly teamOwnership: InMemoryTeamRepository;
  readonly invitations: InMemoryInvitationRepository;
  readonly subscriptions: InMemorySubscriptionRepository;
  readonly billingEvents: InMemoryBillingEventLog;
  readonly deviceAuthorizations: InMemoryDeviceAuthorizationRepository;
  readonly deviceTokens: InMemoryDeviceTokenRepository;
  readonly secondFactors: InMemoryMfaRepository;
  readonly signInChallenges: InMemoryVerificationTokenRepository;
  readonly passkeys: InMemoryPasskeyRepository;
  readonly passkeyChallenges: InMemoryPasskeyChallengeRepository;
  readonly outbox: InMemoryOutbox;
  readonly events: InMemoryAuthEventLog;
  readonly retention: InMemoryRetentionStore;
}

export function bindStores(access: TableAccess, clock: Clock): InMemoryStoreSet {
  const teams = new InMemoryTeamRepository(access);
  const tokens = new InMemoryVerificationTokenRepository(access);
  return {
    users: new InMemoryUserRepository(access),
    sessions: new InMemorySessionRepository(access),
    tokens,
    // The second step of a sign-in is a token like the e-mailed ones, kept in the same table.
    signInChallenges: tokens,
    secondFactors: new InMemoryMfaRepository(access),
    apiKeys: new InMemoryApiKeyRepository(access),
    teams,
    teamOwnership: teams,
    invitations: new InMemoryInvitationRepository(access),
    subscriptions: new InMemorySubscriptionRepository(access),
    billingEvents: new InMemoryBillingEventLog(access),
    deviceAuthorizations: new InMemoryDeviceAuthorizationRepository(access),
    deviceTokens: new InMemoryDeviceTokenRepository(access),
    passkeys: new InMemoryPasskeyRepository(access),
    passkeyChallenges: new InMemoryPasskeyChallengeRepository(access),
    outbox: new InMemoryOutbox(access, clock),
    events: new InMemoryAuthEventLog(access),
    retention: new InMemoryRetentionStore(access),
  };
}

/**
 * Units of work run one at a time (as if every transaction locked what it touches); each write
 * inside one is recorded in an undo log that is replayed backwards when the work throws or resolves
 * a failed Result. Do not call `run` again from inside `work`: like a second connection waiting for
 * a lock the first one holds, it would wait for ever.
 */
export class InMemoryUnitOfWork implements UnitOfWork {
  constructor(
    private readonly db: InMemoryDatabase,
    private readonly clock: Clock,
  ) {}

  run<T>(work: (stores: Stores) => Promise<T>): Promise<T> {
    return this.db.exclusive(async () => {
      const undo = new UndoLog();
      const stores = bindStores(new TableAccess(this.db, undo), this.clock);
      let result: T;
      try {
        result = await work(stores);
      } catch (error) {
        undo.rollback();
        throw error;
      }
      if (isFailure(result)) undo.rollback();
      return result;
    });
  }
}
