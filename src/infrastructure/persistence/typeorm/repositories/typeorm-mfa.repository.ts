import type { EntityManager } from "typeorm";
import type { MfaRepository } from "../../../../application/mfa/mfa-repository.port";
import type { RecoveryCode } from "../../../../domain/mfa/recovery-code";
import { TotpFactor } from "../../../../domain/mfa/totp-factor";
import { RecoveryCodeSchema, toRecoveryCode, type RecoveryCodeRow, type TotpFactorRow } from "../schemas/mfa.schema";
import { insertOne, sql } from "../sql";
import type { TotpSeedCipher } from "../totp-seed-cipher";

export class TypeOrmMfaRepository implements MfaRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly cipher: TotpSeedCipher,
  ) {}

  async findTotp(userId: string): Promise<TotpFactor | null> {
    const { rows } = await sql<TotpFactorRow>(
      this.manager,
      `SELECT user_id AS "userId", secret_sealed AS "secretSealed", created_at AS "createdAt", enabled_at AS "enabledAt",
              last_used_step AS "lastUsedStep"
       FROM totp_factors WHERE user_id = $1`,
      [userId],
    );
    const row = rows[0];
    if (!row) return null;
    const opened = this.cipher.open(row.secretSealed, userId);
    // Sealed under a previous AUTH_JWT_SECRET: seal it again under the current one, unless changed meanwhile.
    if (opened.stale) {
      await sql(this.manager, `UPDATE totp_factors SET secret_sealed = $2 WHERE user_id = $1 AND secret_sealed = $3`, [
        userId,
        this.cipher.seal(opened.seed, userId),
        row.secretSealed,
      ]);
    }
    return TotpFactor.restore({
      userId,
      secret: opened.seed,
      createdAt: row.createdAt,
      enabledAt: row.enabledAt,
      lastUsedStep: row.lastUsedStep === null ? null : Number(row.lastUsedStep),
    });
  }

  /** One conditional UPDATE: the row lock makes a concurrent caller with the same step see zero rows. */
  async recordTotpStep(userId: string, step: number): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      `UPDATE totp_factors SET last_used_step = $2
       WHERE user_id = $1 AND enabled_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)`,
      [userId, step],
    );
    return affected === 1;
  }

  async findUnusedRecoveryCodes(userId: string, lookup: string): Promise<RecoveryCode[]> {
    const { rows } = await sql<RecoveryCodeRow>(
      this.manager,
      `SELECT id, user_id AS "userId", lookup, code_hash AS "codeHash", created_at AS "createdAt", used_at AS "usedAt"
       FROM recovery_codes WHERE user_id = $1 AND lookup = $2 AND used_at IS NULL ORDER BY id`,
      [userId, lookup],
    );
    return rows.map(toRecoveryCode);
  }

  async useRecoveryCode(id: string, at: Date): Promise<boolean> {
    const { affected } = await sql(this.manager, `UPDATE recovery_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL`, [id, at]);
    return affected === 1;
  }

  async savePending(factor: TotpFactor): Promise<boolean> {
    const f = factor.toSnapshot();
    // Inserted, or written over a pending row; an enabled row is left as it is (zero rows).
    const { affected } = await sql(
      this.manager,
      `INSERT INTO totp_factors (user_id, secret_sealed, created_at, enabled_at, last_used_step) VALUES ($1, $2, $3, NULL, NULL)
       ON CONFLICT (user_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, created_at = EXCLUDED.created_at, last_used_step = NULL
       WHERE totp_factors.enabled_at IS NULL
       RETURNING user_id`,
      [f.userId, this.cipher.seal(f.secret, f.userId), f.createdAt],
    );
    return affected === 1;
  }

  async enable(userId: string, step: number, at: Date): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      `UPDATE totp_factors SET enabled_at = $3, last_used_step = $2 WHERE user_id = $1 AND enabled_at IS NULL`,
      [userId, step, at],
    );
    return affected === 1;
  }

  async remove(userId: string): Promise<boolean> {
    await sql(this.manager, `DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    const { affected } = await sql(this.manager, `DELETE FROM totp_factors WHERE user_id = $1`, [userId]);
    return affected === 1;
  }

  async replaceRecoveryCodes(userId: string, codes: readonly RecoveryCode[]): Promise<void> {
    await sql(this.manager, `DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    for (const code of codes) await insertOne(this.manager, RecoveryCodeSchema, { ...code.toSnapshot() });
  }

  async countUnusedRecoveryCodes(userId: string): Promise<number> {
    const { rows } = await sql<{ n: string }>(this.manager, `SELECT count(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, [userId]);
    return Number(rows[0]?.n ?? 0);
  }
}
