import type { EntityManager } from "typeorm";
import type { VerificationTokenRepository } from "../../../../application/identity/verification-token-repository.port";
import type { TokenPurpose, VerificationToken } from "../../../../domain/identity/verification-token";
import { sql } from "../sql";
import {
  toVerificationToken,
  toVerificationTokenRow,
  VerificationTokenSchema,
} from "../schemas/verification-token.schema";

export class TypeOrmVerificationTokenRepository implements VerificationTokenRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(token: VerificationToken): Promise<void> {
    await this.manager.getRepository(VerificationTokenSchema).insert(toVerificationTokenRow(token));
  }

  async findByHash(tokenHash: string): Promise<VerificationToken | null> {
    const row = await this.manager.getRepository(VerificationTokenSchema).findOneBy({ tokenHash });
    return row ? toVerificationToken(row) : null;
  }

  /** One conditional UPDATE: the row lock makes every concurrent caller but the first see zero rows. */
  async consume(id: string, at: Date): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      `UPDATE verification_tokens SET consumed_at = $2
       WHERE id = $1 AND consumed_at IS NULL AND invalidated_at IS NULL AND expires_at > $2`,
      [id, at],
    );
    return affected === 1;
  }

  async invalidateAllForUser(userId: string, purpose: TokenPurpose, at: Date): Promise<void> {
    await sql(
      this.manager,
      `UPDATE verification_tokens SET invalidated_at = $3
       WHERE user_id = $1 AND purpose = $2 AND consumed_at IS NULL AND invalidated_at IS NULL`,
      [userId, purpose, at],
    );
  }
}
