import type { EntityManager } from "typeorm";
import type { AuthEventLog } from "../../../../application/shared/ports/auth-event-log.port";
import type { AuthEvent } from "../../../../domain/shared/auth-event";
import { AuthEventSchema, toAuthEvent, toAuthEventRow } from "../schemas/auth-event.schema";
import { insertOne } from "../sql";

export class TypeOrmAuthEventLog implements AuthEventLog {
  constructor(private readonly manager: EntityManager) {}

  // One per sign-in and per refusal: a plain statement, without the query builder's CPU or the
  // RETURNING of the sequence number it would add.
  async record(event: AuthEvent): Promise<void> {
    await insertOne(this.manager, AuthEventSchema, toAuthEventRow(event));
  }

  async listForUser(userId: string, limit: number): Promise<AuthEvent[]> {
    // `take: 0` would mean "no limit" to TypeORM.
    if (!(limit >= 1)) return [];
    const rows = await this.manager.getRepository(AuthEventSchema).find({
      where: { userId },
      order: { at: "DESC", seq: "DESC" },
      take: Math.floor(limit),
    });
    return rows.map(toAuthEvent);
  }
}
