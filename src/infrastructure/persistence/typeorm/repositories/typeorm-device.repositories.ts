import type { EntityManager } from "typeorm";
import type { DeviceAuthorizationRepository, DeviceTokenRepository } from "../../../../application/devices/device-repositories.port";
import type { DeviceAuthorization } from "../../../../domain/device/device-authorization";
import type { DeviceToken } from "../../../../domain/device/device-token";
import { insertOne, selectOne, sql } from "../sql";
import { DeviceAuthorizationSchema, DeviceTokenSchema, toDeviceAuthorization, toDeviceToken, type DeviceTokenRow } from "../schemas/device.schema";

// Every change of state is one conditional UPDATE: PostgreSQL locks the row, a second writer waits
// for the first to commit and then re-checks the WHERE clause, so exactly one of them matches.

export class TypeOrmDeviceAuthorizationRepository implements DeviceAuthorizationRepository {
  constructor(private readonly manager: EntityManager) {}

  /** ON CONFLICT on the user code rather than catching unique_violation, which would abort a surrounding transaction. */
  async insert(authorization: DeviceAuthorization): Promise<boolean> {
    const r = authorization.toSnapshot();
    const { rows } = await sql(
      this.manager,
      `INSERT INTO device_authorizations (id, device_code_hash, user_code, client_id, scope, status, user_id, created_at, expires_at,
         decided_at, interval_seconds, last_polled_at, request_ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (user_code) DO NOTHING
       RETURNING id`,
      [r.id, r.deviceCodeHash, r.userCode, r.clientId, r.scope, r.status, r.userId, r.createdAt, r.expiresAt, r.decidedAt, r.intervalSeconds, r.lastPolledAt, r.requestIp],
    );
    return rows.length === 1;
  }

  async findByDeviceCodeHash(hash: string): Promise<DeviceAuthorization | null> {
    const row = await selectOne(this.manager, DeviceAuthorizationSchema, "deviceCodeHash", hash);
    return row ? toDeviceAuthorization(row) : null;
  }

  async findByUserCode(userCode: string): Promise<DeviceAuthorization | null> {
    const row = await selectOne(this.manager, DeviceAuthorizationSchema, "userCode", userCode);
    return row ? toDeviceAuthorization(row) : null;
  }

  async recordPoll(id: string, at: Date): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      `UPDATE device_authorizations SET last_polled_at = $2
       WHERE id = $1 AND (last_polled_at IS NULL OR last_polled_at <= $2::timestamptz - make_interval(secs => interval_seconds))`,
      [id, at],
    );
    return affected === 1;
  }

  async slowDown(id: string, seconds: number): Promise<number> {
    const { rows } = await sql<{ interval_seconds: number }>(
      this.manager,
      `UPDATE device_authorizations SET interval_seconds = interval_seconds + $2 WHERE id = $1 RETURNING interval_seconds`,
      [id, seconds],
    );
    return rows[0] ? Number(rows[0].interval_seconds) : seconds;
  }

  async decide(id: string, decision: "approved" | "denied", userId: string, at: Date): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      `UPDATE device_authorizations SET status = $2, user_id = $3, decided_at = $4
       WHERE id = $1 AND status = 'pending' AND expires_at > $4`,
      [id, decision, userId, at],
    );
    return affected === 1;
  }

  async redeem(id: string, at: Date): Promise<boolean> {
    const { affected } = await sql(
      this.manager,
      `UPDATE device_authorizations SET status = 'redeemed' WHERE id = $1 AND status = 'approved' AND expires_at > $2`,
      [id, at],
    );
    return affected === 1;
  }
}

export class TypeOrmDeviceTokenRepository implements DeviceTokenRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(token: DeviceToken): Promise<void> {
    await insertOne<DeviceTokenRow>(this.manager, DeviceTokenSchema, { ...token.toSnapshot() });
  }

  async findByPrefix(prefix: string): Promise<DeviceToken | null> {
    const row = await selectOne(this.manager, DeviceTokenSchema, "prefix", prefix);
    return row ? toDeviceToken(row) : null;
  }

  async listActiveForUser(userId: string, now: Date): Promise<DeviceToken[]> {
    const rows = await this.manager
      .getRepository(DeviceTokenSchema)
      .createQueryBuilder("t")
      .where("t.user_id = :userId AND t.revoked_at IS NULL AND t.expires_at > :now", { userId, now })
      .orderBy("t.created_at", "DESC")
      .addOrderBy("t.id", "ASC")
      .getMany();
    return rows.map(toDeviceToken);
  }

  async recordUse(id: string, at: Date, notBefore: Date): Promise<void> {
    await sql(this.manager, `UPDATE device_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)`, [id, at, notBefore]);
  }

  async revoke(id: string, userId: string, at: Date): Promise<boolean> {
    const { affected } = await sql(this.manager, `UPDATE device_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, [id, userId, at]);
    return affected === 1;
  }

  async revokeAllForUser(userId: string, at: Date): Promise<number> {
    const { affected } = await sql(this.manager, `UPDATE device_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [userId, at]);
    return affected;
  }
}
