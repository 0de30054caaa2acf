import type { EntityManager } from "typeorm";
import type { PasskeyChallengeRepository, PasskeyRepository } from "../../../../application/passkeys";
import type { Passkey } from "../../../../domain/passkey/passkey";
import type { PasskeyCeremony, PasskeyChallenge } from "../../../../domain/passkey/passkey-challenge";
import { PasskeyAlreadyRegistered } from "../../../../domain/passkey/passkey-errors";
import { fail, ok, type Result } from "../../../../domain/shared/result";
import { sql } from "../sql";
import { PasskeyChallengeSchema, PasskeySchema, toPasskey, toPasskeyRow, type PasskeyChallengeRow, type PasskeyRow } from "../schemas/passkey.schema";

const PASSKEY_COLUMNS = `id, user_id AS "userId", credential_id AS "credentialId", public_key AS "publicKey", counter, transports, name,
  created_at AS "createdAt", last_used_at AS "lastUsedAt"`;

export class TypeOrmPasskeyRepository implements PasskeyRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(passkey: Passkey): Promise<Result<void, PasskeyAlreadyRegistered>> {
    const row = toPasskeyRow(passkey);
    // ON CONFLICT rather than catching unique_violation, which would abort the whole transaction.
    const { affected } = await sql(
      this.manager,
      `INSERT INTO passkeys (id, user_id, credential_id, public_key, counter, transports, name, created_at, last_used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (credential_id) DO NOTHING`,
      [row.id, row.userId, row.credentialId, row.publicKey, row.counter, row.transports, row.name, row.createdAt, row.lastUsedAt],
    );
    return affected === 1 ? ok() : fail(new PasskeyAlreadyRegistered());
  }

  async findByCredentialId(credentialId: string): Promise<Passkey | null> {
    const row = await this.manager.getRepository(PasskeySchema).findOneBy({ credentialId });
    return row ? toPasskey(row) : null;
  }

  async listForUser(userId: string): Promise<Passkey[]> {
    const rows = await this.manager.getRepository(PasskeySchema).find({ where: { userId }, order: { createdAt: "ASC", id: "ASC" } });
    return rows.map(toPasskey);
  }

  async delete(userId: string, passkeyId: string): Promise<Passkey | null> {
    const { rows } = await sql<PasskeyRow>(this.manager, `DELETE FROM passkeys WHERE id = $1 AND user_id = $2 RETURNING ${PASSKEY_COLUMNS}`, [
      passkeyId,
      userId,
    ]);
    return rows[0] ? toPasskey(rows[0]) : null;
  }

  async recordUse(passkeyId: string, expectedCounter: number, newCounter: number, at: Date): Promise<boolean> {
    const { affected } = await sql(this.manager, `UPDATE passkeys SET counter = $3, last_used_at = $4 WHERE id = $1 AND counter = $2`, [
      passkeyId,
      expectedCounter,
      newCounter,
      at,
    ]);
    return affected === 1;
  }
}

export class TypeOrmPasskeyChallengeRepository implements PasskeyChallengeRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(challenge: PasskeyChallenge, now: Date): Promise<void> {
    // Expired challenges go as new ones come, a bounded batch at a time.
    await sql(
      this.manager,
      `DELETE FROM passkey_challenges WHERE challenge IN (SELECT challenge FROM passkey_challenges WHERE expires_at <= $1 LIMIT 100)`,
      [now],
    );
    await this.manager.getRepository(PasskeyChallengeSchema).insert({ ...challenge });
  }

  async consume(challenge: string, ceremony: PasskeyCeremony, now: Date): Promise<PasskeyChallenge | null> {
    // One DELETE … RETURNING: of concurrent callers exactly one gets the row.
    const { rows } = await sql<PasskeyChallengeRow>(
      this.manager,
      `DELETE FROM passkey_challenges WHERE challenge = $1 AND ceremony = $2
       RETURNING challenge, ceremony, user_id AS "userId", created_at AS "createdAt", expires_at AS "expiresAt"`,
      [challenge, ceremony],
    );
    const row = rows[0];
    if (!row || new Date(row.expiresAt) <= now) return null;
    return { challenge: row.challenge, ceremony: row.ceremony as PasskeyCeremony, userId: row.userId, createdAt: new Date(row.createdAt), expiresAt: new Date(row.expiresAt) };
  }
}
