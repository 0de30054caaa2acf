import type { ApiKey } from "../../domain/api-key/api-key";
import type { ApiKeyCredentials } from "../shared/ports/bearer-credentials.port";

/** The keys as their capability stores them; the request check reads them through `ApiKeyCredentials`. */
export interface ApiKeyRepository extends ApiKeyCredentials {
  insert(key: ApiKey): Promise<void>;
  /** The user's unrevoked keys, newest first. */
  listForUser(userId: string): Promise<ApiKey[]>;
  /** Revokes the key if it belongs to the user and is not revoked yet; false otherwise. */
  revoke(id: string, userId: string, at: Date): Promise<boolean>;
}
