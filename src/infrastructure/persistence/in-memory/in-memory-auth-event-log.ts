import type { AuthEventLog } from "../../../application/shared/ports/auth-event-log.port";
import type { AuthEvent } from "../../../domain/shared/auth-event";
import type { TableAccess } from "./in-memory-database";

export class InMemoryAuthEventLog implements AuthEventLog {
  constructor(private readonly access: TableAccess) {}

  async record(event: AuthEvent): Promise<void> {
    if (this.access.has("events", event.id)) throw new Error(`duplicate event id ${event.id}`);
    this.access.set("events", event.id, { seq: this.access.db.nextSeq(), event: { ...event, detail: { ...event.detail } } });
  }

  async listForUser(userId: string, limit: number): Promise<AuthEvent[]> {
    return this.access
      .rows("events")
      .filter((row) => row.event.userId === userId)
      .sort((a, b) => b.event.at.getTime() - a.event.at.getTime() || b.seq - a.seq)
      .slice(0, Math.max(0, limit))
      .map((row) => ({ ...row.event, detail: { ...row.event.detail } }));
  }

  /** Every recorded event, oldest first (tests and the operator's view). */
  all(): AuthEvent[] {
    return this.access
      .rows("events")
      .sort((a, b) => a.seq - b.seq)
      .map((row) => row.event);
  }
}
