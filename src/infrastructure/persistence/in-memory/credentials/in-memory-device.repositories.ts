import type { DeviceAuthorizationRepository, DeviceTokenRepository } from "../../../../application/devices/device-repositories.port";
import { DeviceAuthorization } from "../../../../domain/device/device-authorization";
import { DeviceToken } from "../../../../domain/device/device-token";
import type { TableAccess } from "../in-memory-database";

export class InMemoryDeviceAuthorizationRepository implements DeviceAuthorizationRepository {
  constructor(private readonly access: TableAccess) {}

  async insert(authorization: DeviceAuthorization): Promise<boolean> {
    const row = authorization.toSnapshot();
    if (this.access.has("deviceAuthorizations", row.id)) throw new Error(`duplicate device authorization id ${row.id}`);
    if (this.access.rows("deviceAuthorizations").some((other) => other.deviceCodeHash === row.deviceCodeHash)) {
      throw new Error("unique violation: device_authorizations.device_code_hash");
    }
    if (this.access.rows("deviceAuthorizations").some((other) => other.userCode === row.userCode)) return false;
    this.access.set("deviceAuthorizations", row.id, row);
    return true;
  }

  async findByDeviceCodeHash(hash: string): Promise<DeviceAuthorization | null> {
    const row = this.access.rows("deviceAuthorizations").find((other) => other.deviceCodeHash === hash);
    return row ? DeviceAuthorization.restore(row) : null;
  }

  async findByUserCode(userCode: string): Promise<DeviceAuthorization | null> {
    const row = this.access.rows("deviceAuthorizations").find((other) => other.userCode === userCode);
    return row ? DeviceAuthorization.restore(row) : null;
  }

  async recordPoll(id: string, at: Date): Promise<boolean> {
    const row = this.access.get("deviceAuthorizations", id);
    if (!row) return false;
    if (row.lastPolledAt !== null && at.getTime() - row.lastPolledAt.getTime() < row.intervalSeconds * 1000) return false;
    this.access.set("deviceAuthorizations", id, { ...row, lastPolledAt: at });
    return true;
  }

  async slowDown(id: string, seconds: number): Promise<number> {
    const row = this.access.get("deviceAuthorizations", id);
    if (!row) return seconds;
    const intervalSeconds = row.intervalSeconds + seconds;
    this.access.set("deviceAuthorizations", id, { ...row, intervalSeconds });
    return intervalSeconds;
  }

  async decide(id: string, decision: "approved" | "denied", userId: string, at: Date): Promise<boolean> {
    const row = this.access.get("deviceAuthorizations", id);
    if (!row || row.status !== "pending" || row.expiresAt.getTime() <= at.getTime()) return false;
    if (!this.access.has("users", userId)) throw new Error(`foreign key violation: no user ${userId}`);
    this.access.set("deviceAuthorizations", id, { ...row, status: decision, userId, decidedAt: at });
    return true;
  }

  async redeem(id: string, at: Date): Promise<boolean> {
    const row = this.access.get("deviceAuthorizations", id);
    if (!row || row.status !== "approved" || row.expiresAt.getTime() <= at.getTime()) return false;
    this.access.set("deviceAuthorizations", id, { ...row, status: "redeemed" });
    return true;
  }
}

export class InMemoryDeviceTokenRepository implements DeviceTokenRepository {
  constructor(private readonly access: TableAccess) {}

  async insert(token: DeviceToken): Promise<void> {
    const row = token.toSnapshot();
    if (this.access.has("deviceTokens", row.id)) throw new Error(`duplicate device token id ${row.id}`);
    const rows = this.access.rows("deviceTokens");
    if (rows.some((other) => other.prefix === row.prefix)) throw new Error("unique violation: device_tokens.prefix");
    if (rows.some((other) => other.authorizationId === row.authorizationId)) throw new Error("unique violation: device_tokens.authorization_id");
    if (!this.access.has("users", row.userId)) throw new Error(`foreign key violation: no user ${row.userId}`);
    this.access.set("deviceTokens", row.id, row);
  }

  async findByPrefix(prefix: string): Promise<DeviceToken | null> {
    const row = this.access.rows("deviceTokens").find((other) => other.prefix === prefix);
    return row ? DeviceToken.restore(row) : null;
  }

  async listActiveForUser(userId: string, now: Date): Promise<DeviceToken[]> {
    return this.access
      .rows("deviceTokens")
      .filter((row) => row.userId === userId && row.revokedAt === null && row.expiresAt.getTime() > now.getTime())
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id))
      .map((row) => DeviceToken.restore(row));
  }

  async recordUse(id: string, at: Date, notBefore: Date): Promise<void> {
    const row = this.access.get("deviceTokens", id);
    if (!row || (row.lastUsedAt !== null && row.lastUsedAt >= notBefore)) return;
    this.access.set("deviceTokens", id, { ...row, lastUsedAt: at });
  }

  async revoke(id: string, userId: string, at: Date): Promise<boolean> {
    const row = this.access.get("deviceTokens", id);
    if (!row || row.userId !== userId || row.revokedAt !== null) return false;
    this.access.set("deviceTokens", id, { ...row, revokedAt: at });
    return true;
  }

  async revokeAllForUser(userId: string, at: Date): Promise<number> {
    let count = 0;
    for (const row of this.access.rows("deviceTokens")) {
      if (row.userId !== userId || row.revokedAt !== null) continue;
      this.access.set("deviceTokens", row.id, { ...row, revokedAt: at });
      count++;
    }
    return count;
  }
}
