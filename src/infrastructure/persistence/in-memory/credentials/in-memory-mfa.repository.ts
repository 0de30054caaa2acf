import type { MfaRepository } from "../../../../application/mfa/mfa-repository.port";
import { RecoveryCode } from "../../../../domain/mfa/recovery-code";
import { TotpFactor } from "../../../../domain/mfa/totp-factor";
import type { TableAccess } from "../in-memory-database";

/** Keeps the table's rules: one factor per user, compare-and-set steps and codes, cascade with the user. */
export class InMemoryMfaRepository implements MfaRepository {
  constructor(private readonly access: TableAccess) {}

  async findTotp(userId: string): Promise<TotpFactor | null> {
    const row = this.access.get("totpFactors", userId);
    return row ? TotpFactor.restore(row) : null;
  }

  async recordTotpStep(userId: string, step: number): Promise<boolean> {
    const row = this.access.get("totpFactors", userId);
    // Check and write in one synchronous step: of concurrent callers exactly one sees the older step.
    if (!row || row.enabledAt === null || (row.lastUsedStep !== null && row.lastUsedStep >= step)) return false;
    this.access.set("totpFactors", userId, { ...row, lastUsedStep: step });
    return true;
  }

  async findUnusedRecoveryCodes(userId: string, lookup: string): Promise<RecoveryCode[]> {
    return this.access
      .rows("recoveryCodes")
      .filter((row) => row.userId === userId && row.lookup === lookup && row.usedAt === null)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((row) => RecoveryCode.restore(row));
  }

  async useRecoveryCode(id: string, at: Date): Promise<boolean> {
    const row = this.access.get("recoveryCodes", id);
    if (!row || row.usedAt !== null) return false;
    this.access.set("recoveryCodes", id, { ...row, usedAt: at });
    return true;
  }

  async savePending(factor: TotpFactor): Promise<boolean> {
    const snapshot = factor.toSnapshot();
    if (!this.access.has("users", snapshot.userId)) throw new Error(`foreign key violation: no user ${snapshot.userId}`);
    if (this.access.get("totpFactors", snapshot.userId)?.enabledAt) return false;
    this.access.set("totpFactors", snapshot.userId, { ...snapshot, enabledAt: null, lastUsedStep: null });
    return true;
  }

  async enable(userId: string, step: number, at: Date): Promise<boolean> {
    const row = this.access.get("totpFactors", userId);
    if (!row || row.enabledAt !== null) return false;
    this.access.set("totpFactors", userId, { ...row, enabledAt: at, lastUsedStep: step });
    return true;
  }

  async remove(userId: string): Promise<boolean> {
    for (const row of this.access.rows("recoveryCodes")) if (row.userId === userId) this.access.delete("recoveryCodes", row.id);
    const existed = this.access.has("totpFactors", userId);
    this.access.delete("totpFactors", userId);
    return existed;
  }

  async replaceRecoveryCodes(userId: string, codes: readonly RecoveryCode[]): Promise<void> {
    for (const row of this.access.rows("recoveryCodes")) if (row.userId === userId) this.access.delete("recoveryCodes", row.id);
    for (const code of codes) {
      const snapshot = code.toSnapshot();
      if (!this.access.has("users", snapshot.userId)) throw new Error(`foreign key violation: no user ${snapshot.userId}`);
      if (this.access.has("recoveryCodes", snapshot.id)) throw new Error(`duplicate recovery code id ${snapshot.id}`);
      this.access.set("recoveryCodes", snapshot.id, snapshot);
    }
  }

  async countUnusedRecoveryCodes(userId: string): Promise<number> {
    return this.access.rows("recoveryCodes").filter((row) => row.userId === userId && row.usedAt === null).length;
  }
}
