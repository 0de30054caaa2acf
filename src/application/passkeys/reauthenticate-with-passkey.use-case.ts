import type { User } from "../../domain/identity/user";
import { PasskeyRefused } from "../../domain/passkey/passkey-errors";
import type { AuthMethod, Session } from "../../domain/session/session";
import { SessionPolicy } from "../../domain/session/session-policy";
import { Unauthenticated } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { SessionTokens } from "../shared/ports/session-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { SessionIssuer } from "../shared/services/session-issuer";
import { PasskeyAssertion } from "./passkey-assertion";
import type { PasskeyStores } from "./passkey-stores";
import type { WebAuthnCeremonies } from "./webauthn.port";

export interface ReauthenticateWithPasskeyInput {
  readonly userId: string;
  readonly sessionId: string;
  readonly response: unknown;
  readonly context?: RequestContext;
}

export interface ReauthenticateWithPasskeyOutput {
  readonly user: User;
  readonly session: Session;
  readonly token: string;
}

/**
 * Step-up with a passkey: an assertion from one of the signed-in user's own passkeys moves the session
 * to a new id that is fresh, like the password does (`Reauthenticate`). Another user's passkey is refused.
 */
export class ReauthenticateWithPasskey {
  private readonly assertion: PasskeyAssertion;
  private readonly issuer: SessionIssuer;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: PasskeyStores,
    private readonly uow: UnitOfWork<PasskeyStores>,
    sessionTokens: SessionTokens,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
    settings: AuthSettings,
    webAuthn: WebAuthnCeremonies,
  ) {
    this.assertion = new PasskeyAssertion(webAuthn);
    this.issuer = new SessionIssuer(sessionTokens, randomTokens, new SessionPolicy(settings.session));
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: ReauthenticateWithPasskeyInput): Promise<Result<ReauthenticateWithPasskeyOutput, Unauthenticated | PasskeyRefused>> {
    const session = await this.stores.sessions.findById(input.sessionId);
    if (!session || session.userId !== input.userId) return fail(new Unauthenticated());
    const now = this.clock.now();
    const proven = await this.assertion.verify(this.stores, input.response, now);
    if (!proven.ok) return this.refuse(input, proven.error);
    if (proven.value.user.id !== input.userId) return this.refuse(input, new PasskeyRefused("wrong-user"));
    const methods: AuthMethod[] = ["passkey"];
    const successor = session.reauthenticate(this.randomTokens.newId(), now, methods);
    const moved = await this.uow.run(async (stores) => {
      if (!(await stores.sessions.rotate(session, successor))) return false;
      await stores.sessions.revoke(session.id, now);
      await this.events.record(stores.events, "session.reauthenticated", input.userId, input.context, { methods: methods.join(",") });
      return true;
    });
    if (!moved) return fail(new Unauthenticated());
    return ok({ user: proven.value.user, session: successor, token: await this.issuer.tokenFor(successor, now) });
  }

  private async refuse(input: ReauthenticateWithPasskeyInput, refusal: PasskeyRefused): Promise<Result<never, PasskeyRefused>> {
    await this.events.record(this.stores.events, "sign-in.failed", input.userId, input.context, { method: "passkey", reason: `reauthentication:${refusal.reason}` });
    return fail(refusal);
  }
}
