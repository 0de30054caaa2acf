import type { AuthEvent } from "../../domain/auth-event/auth-event";

export interface AuthEventLog {
  record(event: AuthEvent): Promise<void>;
  /** Newest first. */
  listForUser(userId: string, limit: number): Promise<AuthEvent[]>;
}
