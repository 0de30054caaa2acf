import { InvalidToken } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { User } from "../../domain/identity/user";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { IdentityStores } from "./identity-stores";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";

export interface VerifyEmailInput {
  /** The secret from the e-mailed link. */
  readonly token: string;
  readonly context?: RequestContext;
}

export interface VerifyEmailOutput {
  readonly user: User;
}

/**
 * Confirms the address a verification link was sent to. The token proves that address only: if the
 * account's address is no longer the one mailed, the link is worthless. Single use, even when the
 * link is opened twice at once.
 */
export class VerifyEmail {
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: IdentityStores,
    private readonly uow: UnitOfWork<IdentityStores>,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: VerifyEmailInput): Promise<Result<VerifyEmailOutput, InvalidToken>> {
    if (typeof input.token !== "string" || input.token.length === 0) return fail(new InvalidToken());
    const now = this.clock.now();
    const hash = this.randomTokens.hash(input.token);
    const token = await this.stores.tokens.findByHash(hash);
    if (!token || !token.isUsable("verify-email", hash, now)) return fail(new InvalidToken());
    const user = await this.stores.users.findById(token.userId);
    if (!user || user.email !== token.email) return fail(new InvalidToken());

    return this.uow.run(async (stores) => {
      if (!(await stores.tokens.consume(token.id, now))) return fail(new InvalidToken());
      user.markEmailVerified(now);
      await stores.users.save(user);
      await this.events.record(stores.events, "email.verified", user.id, input.context);
      return ok({ user });
    });
  }
}
