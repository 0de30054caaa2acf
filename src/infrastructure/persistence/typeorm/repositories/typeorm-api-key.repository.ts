import { IsNull, type EntityManager } from "typeorm";
import type { ApiKeyRepository } from "../../../../application/api-keys/api-key-repository.port";
import type { ApiKey } from "../../../../domain/api-key/api-key";
import { sql } from "../sql";
import { ApiKeySchema, toApiKey, toApiKeyRow } from "../schemas/api-key.schema";

export class TypeOrmApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(key: ApiKey): Promise<void> {
    await this.manager.getRepository(ApiKeySchema).insert(toApiKeyRow(key));
  }

  async listForUser(userId: string): Promise<ApiKey[]> {
    const rows = await this.manager.getRepository(ApiKeySchema).find({
      where: { userId, revokedAt: IsNull() },
      order: { createdAt: "DESC", id: "ASC" },
    });
    return rows.map(toApiKey);
  }

  async findByPrefix(prefix: string): Promise<ApiKey | null> {
    const row = await this.manager.getRepository(ApiKeySchema).findOneBy({ prefix });
    return row ? toApiKey(row) : null;
  }

  async recordUse(id: string, at: Date, notBefore: Date): Promise<void> {
    await sql(this.manager, `UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)`, [id, at, notBefore]);
  }

  async revoke(id: string, userId: string, at: Date): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      `UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
      [id, userId, at],
    );
    return affected === 1;
  }
}
