import type { AuthEventType } from "../../../domain/shared/auth-event";
import type { AuthEventLog } from "../ports/auth-event-log.port";
import type { Clock } from "../ports/clock.port";
import type { RandomTokens } from "../ports/random-tokens.port";
import type { RequestContext } from "../request-context";

/**
 * Records auth events with an id and the time from the ports. The log is passed in per call so an
 * event can be written in the same unit of work as the change it reports, or on its own when the
 * change is a refusal that rolls back.
 */
export class AuthEvents {
  constructor(
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {}

  record(
    log: AuthEventLog,
    type: AuthEventType,
    userId: string | null,
    context: RequestContext | undefined,
    detail: Record<string, string> = {},
  ): Promise<void> {
    return log.record({
      id: this.randomTokens.newId(),
      type,
      userId,
      at: this.clock.now(),
      ip: context?.ip ?? null,
      userAgent: context?.userAgent ?? null,
      detail,
    });
  }
}
