import type { AuthEvent } from "../../../domain/shared/auth-event";

export interface AuthEventLog {
  record(event: AuthEvent): Promise<void>;
  /** Newest first. */
  listForUser(userId: string, limit: number): Promise<AuthEvent[]>;
}
