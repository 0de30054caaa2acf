import type { EntityManager } from "typeorm";
import type { AuthEventLog } from "../../../application/ports/auth-event-log.port";
import type { AuthEvent } from "../../../domain/auth-event/auth-event";
import { AuthEventSchema, toAuthEvent, toAuthEventRow } from "./schemas/auth-event.schema";

export class TypeOrmAuthEventLog implements AuthEventLog {
  constructor(private readonly manager: EntityManager) {}

  async record(event: AuthEvent): Promise<void> {
    await this.manager.getRepository(AuthEventSchema).insert(toAuthEventRow(event));
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
