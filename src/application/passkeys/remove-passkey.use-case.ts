import { NotFound, Unauthenticated, type ReauthenticationRequired } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { FreshAuthentication } from "../shared/services/fresh-authentication";
import type { PasskeyStores } from "./passkey-stores";

export interface RemovePasskeyInput {
  readonly userId: string;
  readonly sessionId: string;
  readonly passkeyId: string;
  readonly context?: RequestContext;
}

/**
 * Removes one of the user's own passkeys (someone else's answers as if it did not exist), mails a notice
 * and logs it. Every account keeps its password, so a passkey is never the last way to sign in.
 */
export class RemovePasskey {
  private readonly fresh: FreshAuthentication;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: PasskeyStores,
    private readonly uow: UnitOfWork<PasskeyStores>,
    randomTokens: RandomTokens,
    private readonly clock: Clock,
    settings: AuthSettings,
  ) {
    this.fresh = new FreshAuthentication(settings.freshAuthMaxAgeSeconds);
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: RemovePasskeyInput): Promise<Result<void, Unauthenticated | ReauthenticationRequired | NotFound>> {
    const now = this.clock.now();
    const fresh = await this.fresh.require(this.stores.sessions, input.sessionId, now);
    if (!fresh.ok) return fresh;
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    return this.uow.run(async (stores) => {
      const removed = await stores.passkeys.delete(user.id, input.passkeyId);
      if (!removed) return fail(new NotFound("Passkey"));
      await stores.outbox.enqueue({ to: user.email, template: "passkey-removed", params: { name: removed.name } });
      await this.events.record(stores.events, "passkey.removed", user.id, input.context, { passkeyId: removed.id });
      return ok();
    });
  }
}
