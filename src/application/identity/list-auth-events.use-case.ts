import type { AuthEvent } from "../../domain/shared/auth-event";
import { ok, type Result } from "../../domain/shared/result";
import type { IdentityStores } from "./identity-stores";

export interface ListAuthEventsInput {
  readonly userId: string;
  /** How many, newest first; clamped to 1–100, 20 when absent. */
  readonly limit?: number;
}

export const AUTH_EVENTS_DEFAULT_LIMIT = 20;
export const AUTH_EVENTS_MAX_LIMIT = 100;

/** The user's recent security activity: sign-ins, failures, resets, revocations. */
export class ListAuthEvents {
  constructor(private readonly stores: IdentityStores) {}

  async execute(input: ListAuthEventsInput): Promise<Result<AuthEvent[]>> {
    const requested = input.limit ?? AUTH_EVENTS_DEFAULT_LIMIT;
    const limit = Number.isFinite(requested) ? Math.min(AUTH_EVENTS_MAX_LIMIT, Math.max(1, Math.floor(requested))) : AUTH_EVENTS_DEFAULT_LIMIT;
    return ok(await this.stores.events.listForUser(input.userId, limit));
  }
}
