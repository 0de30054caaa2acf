import type { ApiKeySnapshot } from "../../../domain/api-key/api-key";
import type { DeviceAuthorizationSnapshot } from "../../../domain/device/device-authorization";
import type { DeviceTokenSnapshot } from "../../../domain/device/device-token";
import type { AuthEvent } from "../../../domain/shared/auth-event";
import type { SessionSnapshot } from "../../../domain/session/session";
import type { VerificationTokenSnapshot } from "../../../domain/identity/verification-token";
import type { UserSnapshot } from "../../../domain/identity/user";
import type { InvitationSnapshot } from "../../../domain/team/invitation";
import type { Membership } from "../../../domain/team/membership";
import type { TeamSnapshot } from "../../../domain/team/team";
import type { RecoveryCodeSnapshot } from "../../../domain/mfa/recovery-code";
import type { TotpFactorSnapshot } from "../../../domain/mfa/totp-factor";
import type { PasskeySnapshot } from "../../../domain/passkey/passkey";
import type { PasskeyChallenge } from "../../../domain/passkey/passkey-challenge";
import type { TeamSubscriptionSnapshot } from "../../../domain/billing/subscription";
import type { OutgoingMail } from "../../../application/shared/ports/outbox.port";
import { InMemoryRateLimitStore } from "./in-memory-rate-limit-store";

export interface OutboxRow {
  readonly id: string;
  readonly seq: number;
  readonly mail: OutgoingMail;
  readonly attempts: number;
  readonly createdAt: Date;
  readonly nextAttemptAt: Date;
  readonly leaseUntil: Date | null;
  readonly sentAt: Date | null;
  readonly failedAt?: Date | null;
  readonly lastError: string | null;
}

export interface EventRow {
  readonly seq: number;
  readonly event: AuthEvent;
}

export interface Rows {
  users: UserSnapshot;
  sessions: SessionSnapshot;
  tokens: VerificationTokenSnapshot;
  apiKeys: ApiKeySnapshot;
  teams: TeamSnapshot;
  /** Keyed by `${teamId} ${userId}`: one membership per team and user. */
  memberships: Membership;
  invitations: InvitationSnapshot;
  deviceAuthorizations: DeviceAuthorizationSnapshot;
  deviceTokens: DeviceTokenSnapshot;
  /** Keyed by user id: one factor per user. */
  totpFactors: TotpFactorSnapshot;
  recoveryCodes: RecoveryCodeSnapshot;
  passkeys: PasskeySnapshot;
  /** Keyed by the challenge itself. */
  passkeyChallenges: PasskeyChallenge;
  /** Keyed by team id: one subscription per team. */
  subscriptions: TeamSubscriptionSnapshot;
  /** Keyed by the provider's event id. */
  billingEvents: { readonly id: string; readonly appliedAt: Date };
  outbox: OutboxRow;
  events: EventRow;
}

export type TableName = keyof Rows;

/**
 * The whole store as plain maps of immutable snapshots. Repositories never hand out the objects
 * kept here: they restore fresh entities, so a caller mutating an entity changes nothing until it
 * saves, exactly as with a database.
 */
export class InMemoryDatabase {
  readonly tables: { readonly [K in TableName]: Map<string, Rows[K]> } = {
    users: new Map(),
    sessions: new Map(),
    tokens: new Map(),
    apiKeys: new Map(),
    teams: new Map(),
    memberships: new Map(),
    invitations: new Map(),
    deviceAuthorizations: new Map(),
    deviceTokens: new Map(),
    totpFactors: new Map(),
    recoveryCodes: new Map(),
    passkeys: new Map(),
    passkeyChallenges: new Map(),
    subscriptions: new Map(),
    billingEvents: new Map(),
    outbox: new Map(),
    events: new Map(),
  };

  /** Outside the tables (and so outside every undo log): a counted hit survives a rollback. */
  readonly rateLimits = new InMemoryRateLimitStore();
  /** Named leases by their holder and end, as the `leases` table keeps them. */
  readonly leases = new Map<string, { holder: string; until: Date }>();

  private sequence = 0;
  private lock: Promise<void> = Promise.resolve();

  nextSeq(): number {
    return ++this.sequence;
  }

  /**
   * Runs `work` after every earlier exclusive section has finished. Units of work are serialised
   * this way, so an undo log that restores the rows a failed one touched can never overwrite
   * another transaction's writes (the database equivalent: row locks held until commit).
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/** Inverse operations of one transaction's writes, applied newest first on rollback. */
export class UndoLog {
  private readonly entries: Array<() => void> = [];

  record(undo: () => void): void {
    this.entries.push(undo);
  }

  rollback(): void {
    for (let i = this.entries.length - 1; i >= 0; i--) this.entries[i]!();
    this.entries.length = 0;
  }
}

/**
 * The one way repositories read and write tables. Bound to an undo log inside a unit of work, so
 * every write can be taken back; bound to none outside, where each call stands on its own.
 */
export class TableAccess {
  constructor(
    readonly db: InMemoryDatabase,
    private readonly undo: UndoLog | null = null,
  ) {}

  get<K extends TableName>(table: K, id: string): Rows[K] | undefined {
    return this.db.tables[table].get(id);
  }

  has(table: TableName, id: string): boolean {
    return this.db.tables[table].has(id);
  }

  rows<K extends TableName>(table: K): Rows[K][] {
    return [...this.db.tables[table].values()];
  }

  set<K extends TableName>(table: K, id: string, row: Rows[K]): void {
    const map = this.db.tables[table];
    this.remember(map, id);
    map.set(id, row);
  }

  delete(table: TableName, id: string): void {
    const map = this.db.tables[table] as Map<string, unknown>;
    if (!map.has(id)) return;
    this.remember(map, id);
    map.delete(id);
  }

  private remember(map: Map<string, unknown>, id: string): void {
    if (!this.undo) return;
    const existed = map.has(id);
    const previous = map.get(id);
    this.undo.record(() => {
      if (existed) map.set(id, previous);
      else map.delete(id);
    });
  }
}
