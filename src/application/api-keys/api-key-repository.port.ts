import type { ApiKey } from "../../domain/api-key/api-key";

export interface ApiKeyRepository {
  insert(key: ApiKey): Promise<void>;
  /** The user's unrevoked keys, newest first. */
  listForUser(userId: string): Promise<ApiKey[]>;
  findByPrefix(prefix: string): Promise<ApiKey | null>;
  /** Revokes the key if it belongs to the user and is not revoked yet; false otherwise. */
  revoke(id: string, userId: string, at: Date): Promise<boolean>;
}
