import type { VerificationTokenRepository } from "../../../application/identity/verification-token-repository.port";
import { VerificationToken, type TokenPurpose } from "../../../domain/identity/verification-token";
import type { TableAccess } from "./in-memory-database";

export class InMemoryVerificationTokenRepository implements VerificationTokenRepository {
  constructor(private readonly access: TableAccess) {}

  async insert(token: VerificationToken): Promise<void> {
    const snapshot = token.toSnapshot();
    if (this.access.has("tokens", snapshot.id)) throw new Error(`duplicate token id ${snapshot.id}`);
    if (this.access.rows("tokens").some((row) => row.tokenHash === snapshot.tokenHash)) {
      throw new Error("unique violation: tokens.token_hash");
    }
    if (!this.access.has("users", snapshot.userId)) throw new Error(`foreign key violation: no user ${snapshot.userId}`);
    this.access.set("tokens", snapshot.id, snapshot);
  }

  async findByHash(tokenHash: string): Promise<VerificationToken | null> {
    const row = this.access.rows("tokens").find((token) => token.tokenHash === tokenHash);
    return row ? VerificationToken.restore(row) : null;
  }

  async consume(id: string, at: Date): Promise<boolean> {
    const row = this.access.get("tokens", id);
    // Check and write in one synchronous step: of concurrent callers exactly one sees it unconsumed.
    if (!row || row.consumedAt !== null || row.invalidatedAt !== null || at >= row.expiresAt) return false;
    this.access.set("tokens", id, { ...row, consumedAt: at });
    return true;
  }

  async invalidateAllForUser(userId: string, purpose: TokenPurpose, at: Date): Promise<void> {
    for (const row of this.access.rows("tokens")) {
      if (row.userId === userId && row.purpose === purpose && row.consumedAt === null && row.invalidatedAt === null) {
        this.access.set("tokens", row.id, { ...row, invalidatedAt: at });
      }
    }
  }
}
