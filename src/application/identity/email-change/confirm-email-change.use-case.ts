import { Email } from "../../../domain/identity/email";
import type { User } from "../../../domain/identity/user";
import { InvalidToken, type EmailTaken } from "../../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../../domain/shared/result";
import type { Clock } from "../../shared/ports/clock.port";
import type { RandomTokens } from "../../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../../shared/ports/unit-of-work.port";
import type { RequestContext } from "../../shared/request-context";
import { AuthEvents } from "../../shared/services/auth-events";
import type { IdentityStores } from "../identity-stores";

export interface ConfirmEmailChangeInput {
  readonly token: string;
  readonly context?: RequestContext;
}

/**
 * Moves the account to the address the confirmation link was mailed to, verified from now on. Single
 * use, also when opened twice at once; links still out for the old address (verification, reset,
 * other changes) stop working. Sessions stay: the owner asked for this with a fresh authentication.
 */
export class ConfirmEmailChange {
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: IdentityStores,
    private readonly uow: UnitOfWork<IdentityStores>,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: ConfirmEmailChangeInput): Promise<Result<{ user: User }, InvalidToken | EmailTaken>> {
    if (typeof input.token !== "string" || input.token.length === 0) return fail(new InvalidToken());
    const now = this.clock.now();
    const hash = this.randomTokens.hash(input.token);
    const token = await this.stores.tokens.findByHash(hash);
    if (!token || !token.isUsable("change-email", hash, now)) return fail(new InvalidToken());
    const user = await this.stores.users.findById(token.userId);
    if (!user) return fail(new InvalidToken());
    const previous = user.email;

    return this.uow.run(async (stores) => {
      if (!(await stores.tokens.consume(token.id, now))) return fail(new InvalidToken());
      user.changeEmail(Email.restore(token.email), now);
      const saved = await stores.users.saveNewEmail(user);
      if (!saved.ok) return saved;
      for (const purpose of ["verify-email", "reset-password", "change-email"] as const) {
        await stores.tokens.invalidateAllForUser(user.id, purpose, now);
      }
      await this.events.record(stores.events, "email.changed", user.id, input.context, { from: maskedAddress(previous) });
      return ok({ user });
    });
  }
}

/** `a***@example.com`: enough for the owner to recognise, not the whole old address in the event log. */
function maskedAddress(email: string): string {
  const at = email.lastIndexOf("@");
  return at <= 0 ? "***" : `${email[0]}***${email.slice(at)}`;
}
