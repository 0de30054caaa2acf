import type { LeaseClaim, RetentionRule, RetentionStore } from "../../../application/retention";
import type { Rows, TableAccess, TableName } from "./in-memory-database";

type Dead<K extends TableName> = { readonly table: K; readonly dead: (row: Rows[K], cutoff: Date) => boolean };

const before = (at: Date | null, cutoff: Date) => at !== null && at < cutoff;

/** The same rules as the SQL adapter's WHERE clauses, row by row. */
const RULES: { readonly [R in Exclude<RetentionRule, "rateLimits.expired">]: Dead<TableName> } = {
  "sessions.expired": { table: "sessions", dead: (row: Rows["sessions"], cutoff: Date) => row.expiresAt < cutoff },
  "sessions.revoked": { table: "sessions", dead: (row: Rows["sessions"], cutoff: Date) => before(row.revokedAt, cutoff) },
  "verificationTokens.expired": { table: "tokens", dead: (row: Rows["tokens"], cutoff: Date) => row.expiresAt < cutoff },
  "verificationTokens.spent": {
    table: "tokens",
    dead: (row: Rows["tokens"], cutoff: Date) => before(row.consumedAt, cutoff) || before(row.invalidatedAt, cutoff),
  },
  "deviceAuthorizations.expired": { table: "deviceAuthorizations", dead: (row: Rows["deviceAuthorizations"], cutoff: Date) => row.expiresAt < cutoff },
  "deviceTokens.expired": { table: "deviceTokens", dead: (row: Rows["deviceTokens"], cutoff: Date) => row.expiresAt < cutoff },
  "deviceTokens.revoked": { table: "deviceTokens", dead: (row: Rows["deviceTokens"], cutoff: Date) => before(row.revokedAt, cutoff) },
  "invitations.expired": { table: "invitations", dead: (row: Rows["invitations"], cutoff: Date) => row.expiresAt < cutoff },
  "invitations.ended": {
    table: "invitations",
    dead: (row: Rows["invitations"], cutoff: Date) =>
      before(row.acceptedAt, cutoff) || before(row.declinedAt, cutoff) || before(row.invalidatedAt, cutoff),
  },
  "outbox.sent": { table: "outbox", dead: (row: Rows["outbox"], cutoff: Date) => before(row.sentAt, cutoff) },
  "outbox.failed": { table: "outbox", dead: (row: Rows["outbox"], cutoff: Date) => before(row.failedAt ?? null, cutoff) },
  "authEvents.old": { table: "events", dead: (row: Rows["events"], cutoff: Date) => row.event.at < cutoff },
} as never;

/** Retention over the in-memory tables; the lease lives on the shared database like the `leases` table. */
export class InMemoryRetentionStore implements RetentionStore {
  constructor(private readonly access: TableAccess) {}

  async acquireLease(claim: LeaseClaim): Promise<boolean> {
    const current = this.access.db.leases.get(claim.name);
    if (current && current.holder !== claim.holder && current.until > claim.now) return false;
    this.access.db.leases.set(claim.name, { holder: claim.holder, until: claim.until });
    return true;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.access.db.leases.get(name)?.holder === holder) this.access.db.leases.delete(name);
  }

  async deleteBatch(rule: RetentionRule, cutoff: Date, limit: number): Promise<number> {
    if (rule === "rateLimits.expired") return this.access.db.rateLimits.deleteExpired(cutoff, limit);
    const { table, dead } = RULES[rule];
    let deleted = 0;
    for (const [id, row] of this.access.db.tables[table] as Map<string, Rows[TableName]>) {
      if (deleted >= limit) break;
      if (!dead(row, cutoff)) continue;
      this.access.delete(table, id);
      deleted++;
    }
    return deleted;
  }
}
