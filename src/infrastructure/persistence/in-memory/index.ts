import type { Clock } from "../../../application/shared/ports/clock.port";
import { InMemoryDatabase, TableAccess } from "./in-memory-database";
import type { InMemoryRateLimitStore } from "./in-memory-rate-limit-store";
import { bindStores, InMemoryUnitOfWork, type InMemoryStoreSet } from "./in-memory-unit-of-work";
import type { InMemoryOutbox } from "./in-memory-outbox";

export { InMemoryApiKeyRepository } from "./credentials/in-memory-api-key.repository";
export { InMemoryAuthEventLog } from "./in-memory-auth-event-log";
export { InMemoryBillingEventLog, InMemorySubscriptionRepository } from "./in-memory-billing.repositories";
export { InMemoryInvitationRepository } from "./in-memory-invitation.repository";
export { InMemoryTeamRepository } from "./in-memory-team.repository";
export { InMemoryDeviceAuthorizationRepository, InMemoryDeviceTokenRepository } from "./credentials/in-memory-device.repositories";
export { InMemoryDatabase, TableAccess, UndoLog } from "./in-memory-database";
export { InMemoryMfaRepository } from "./credentials/in-memory-mfa.repository";
export { InMemoryPasskeyChallengeRepository, InMemoryPasskeyRepository } from "./credentials/in-memory-passkey.repositories";
export { InMemoryOutbox } from "./in-memory-outbox";
export { InMemoryRateLimitStore } from "./in-memory-rate-limit-store";
export { InMemoryRetentionStore } from "./in-memory-retention-store";
export { InMemorySessionRepository } from "./in-memory-session.repository";
export { InMemoryUnitOfWork, bindStores, type InMemoryStoreSet } from "./in-memory-unit-of-work";
export { InMemoryUserRepository } from "./in-memory-user.repository";
export { InMemoryVerificationTokenRepository } from "./in-memory-verification-token.repository";

export interface InMemoryStores {
  /** The shared state, for tests that need to look under the hood. */
  readonly db: InMemoryDatabase;
  /** Stores outside any transaction: each call commits on its own. */
  readonly stores: InMemoryStoreSet;
  readonly uow: InMemoryUnitOfWork;
  /** The same outbox as `stores.outbox`, typed as the dispatcher's queue. */
  readonly outbox: InMemoryOutbox;
  readonly rateLimits: InMemoryRateLimitStore;
}

const systemClock: Clock = { now: () => new Date() };

/** Every persistence port on one shared in-memory state. `clock` stamps enqueued mails. */
export function createInMemoryStores(options: { clock?: Clock } = {}): InMemoryStores {
  const clock = options.clock ?? systemClock;
  const db = new InMemoryDatabase();
  const stores = bindStores(new TableAccess(db), clock);
  return { db, stores, uow: new InMemoryUnitOfWork(db, clock), outbox: stores.outbox, rateLimits: db.rateLimits };
}
