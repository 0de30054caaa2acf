import type { ApiKeyRepository } from "../../../../application/api-keys/api-key-repository.port";
import { ApiKey } from "../../../../domain/api-key/api-key";
import type { TableAccess } from "../in-memory-database";

export class InMemoryApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly access: TableAccess) {}

  async insert(key: ApiKey): Promise<void> {
    const snapshot = key.toSnapshot();
    if (this.access.has("apiKeys", snapshot.id)) throw new Error(`duplicate API key id ${snapshot.id}`);
    if (this.access.rows("apiKeys").some((row) => row.prefix === snapshot.prefix)) {
      throw new Error("unique violation: api_keys.prefix");
    }
    if (!this.access.has("users", snapshot.userId)) throw new Error(`foreign key violation: no user ${snapshot.userId}`);
    this.access.set("apiKeys", snapshot.id, snapshot);
  }

  async listForUser(userId: string): Promise<ApiKey[]> {
    return this.access
      .rows("apiKeys")
      .filter((row) => row.userId === userId && row.revokedAt === null)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((row) => ApiKey.restore(row));
  }

  async findByPrefix(prefix: string): Promise<ApiKey | null> {
    const row = this.access.rows("apiKeys").find((key) => key.prefix === prefix);
    return row ? ApiKey.restore(row) : null;
  }

  async recordUse(id: string, at: Date, notBefore: Date): Promise<void> {
    const row = this.access.get("apiKeys", id);
    if (!row || (row.lastUsedAt !== null && row.lastUsedAt >= notBefore)) return;
    this.access.set("apiKeys", id, { ...row, lastUsedAt: at });
  }

  async revoke(id: string, userId: string, at: Date): Promise<boolean> {
    const row = this.access.get("apiKeys", id);
    if (!row || row.userId !== userId || row.revokedAt !== null) return false;
    this.access.set("apiKeys", id, { ...row, revokedAt: at });
    return true;
  }
}
