import type { DataSource, EntityManager } from "typeorm";
import type { Clock } from "../../../application/shared/ports/clock.port";
import type { OutgoingMail } from "../../../application/shared/ports/outbox.port";
import type { Stores } from "../stores";
import { OutboxCipher } from "./outbox-cipher";
import { PostgresRateLimitStore } from "./postgres-rate-limit-store";
import { TypeOrmBillingEventLog, TypeOrmSubscriptionRepository } from "./repositories/typeorm-billing.repositories";
import { TypeOrmApiKeyRepository } from "./repositories/typeorm-api-key.repository";
import { TypeOrmAuthEventLog } from "./repositories/typeorm-auth-event-log";
import { TypeOrmDeviceAuthorizationRepository, TypeOrmDeviceTokenRepository } from "./repositories/typeorm-device.repositories";
import { TypeOrmMfaRepository } from "./repositories/typeorm-mfa.repository";
import { TypeOrmOutbox } from "./repositories/typeorm-outbox";
import { TotpSeedCipher } from "./totp-seed-cipher";
import { TypeOrmPasskeyChallengeRepository, TypeOrmPasskeyRepository } from "./repositories/typeorm-passkey.repositories";
import { TypeOrmRetentionStore } from "./repositories/typeorm-retention-store";
import { TypeOrmSessionRepository } from "./repositories/typeorm-session.repository";
import { TypeOrmInvitationRepository, TypeOrmTeamRepository } from "./repositories/typeorm-team.repository";
import { TypeOrmUnitOfWork } from "./typeorm-unit-of-work";
import { TypeOrmUserRepository } from "./repositories/typeorm-user.repository";
import { TypeOrmVerificationTokenRepository } from "./repositories/typeorm-verification-token.repository";

export interface TypeOrmStoreSet extends Stores {
  readonly users: TypeOrmUserRepository;
  readonly sessions: TypeOrmSessionRepository;
  readonly tokens: TypeOrmVerificationTokenRepository;
  readonly apiKeys: TypeOrmApiKeyRepository;
  readonly teams: TypeOrmTeamRepository;
  readonly teamOwnership: TypeOrmTeamRepository;
  readonly invitations: TypeOrmInvitationRepository;
  readonly subscriptions: TypeOrmSubscriptionRepository;
  readonly billingEvents: TypeOrmBillingEventLog;
  readonly deviceAuthorizations: TypeOrmDeviceAuthorizationRepository;
  readonly deviceTokens: TypeOrmDeviceTokenRepository;
  readonly secondFactors: TypeOrmMfaRepository;
  readonly signInChallenges: TypeOrmVerificationTokenRepository;
  readonly passkeys: TypeOrmPasskeyRepository;
  readonly passkeyChallenges: TypeOrmPasskeyChallengeRepository;
  readonly outbox: TypeOrmOutbox;
  readonly events: TypeOrmAuthEventLog;
  readonly retention: TypeOrmRetentionStore;
}

export interface TypeOrmStores {
  /** Stores outside any transaction: each call commits on its own. */
  readonly stores: TypeOrmStoreSet;
  readonly uow: TypeOrmUnitOfWork;
  /** The same outbox as `stores.outbox`, typed as the dispatcher's queue. */
  readonly outbox: TypeOrmOutbox;
  /** Outside every unit of work on purpose: counted hits survive a rolled-back request. */
  readonly rateLimits: PostgresRateLimitStore;
}

export interface TypeOrmStoresOptions {
  /** Stamps enqueued mails. */
  readonly clock: Clock;
  /** 32 bytes sealing outbox params at rest, e.g. `deriveOutboxKey(AUTH_JWT_SECRET)`. */
  readonly outboxKey: Buffer;
  /** The application secret and the previous ones, sealing TOTP seeds at rest (see TotpSeedCipher). */
  readonly seedSecrets: readonly string[];
  /** Told of every mail written to the outbox (metrics). */
  readonly onEnqueue?: (mail: OutgoingMail) => void;
}

export function bindTypeOrmStores(
  manager: EntityManager,
  cipher: OutboxCipher,
  clock: Clock,
  seeds: TotpSeedCipher,
  onEnqueue?: (mail: OutgoingMail) => void,
): TypeOrmStoreSet {
  const teams = new TypeOrmTeamRepository(manager);
  const tokens = new TypeOrmVerificationTokenRepository(manager);
  return {
    users: new TypeOrmUserRepository(manager),
    sessions: new TypeOrmSessionRepository(manager),
    tokens,
    // The second step of a sign-in is a token like the e-mailed ones, kept in the same table.
    signInChallenges: tokens,
    secondFactors: new TypeOrmMfaRepository(manager, seeds),
    apiKeys: new TypeOrmApiKeyRepository(manager),
    teams,
    teamOwnership: teams,
    invitations: new TypeOrmInvitationRepository(manager),
    subscriptions: new TypeOrmSubscriptionRepository(manager),
    billingEvents: new TypeOrmBillingEventLog(manager),
    deviceAuthorizations: new TypeOrmDeviceAuthorizationRepository(manager),
    deviceTokens: new TypeOrmDeviceTokenRepository(manager),
    passkeys: new TypeOrmPasskeyRepository(manager),
    passkeyChallenges: new TypeOrmPasskeyChallengeRepository(manager),
    outbox: new TypeOrmOutbox(manager, cipher, clock, onEnqueue),
    events: new TypeOrmAuthEventLog(manager),
    retention: new TypeOrmRetentionStore(manager),
  };
}

/** Every persistence port on one initialised (and migrated) DataSource. */
export function createTypeOrmStores(dataSource: DataSource, options: TypeOrmStoresOptions): TypeOrmStores {
  const cipher = new OutboxCipher(options.outboxKey);
  const seeds = new TotpSeedCipher(options.seedSecrets);
  const stores = bindTypeOrmStores(dataSource.manager, cipher, options.clock, seeds, options.onEnqueue);
  return {
    stores,
    uow: new TypeOrmUnitOfWork(dataSource, (manager) => bindTypeOrmStores(manager, cipher, options.clock, seeds, options.onEnqueue)),
    outbox: stores.outbox,
    rateLimits: new PostgresRateLimitStore(dataSource.manager),
  };
}
