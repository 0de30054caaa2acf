import { Passkey } from "../../domain/passkey/passkey";
import { PasskeyRefused, type PasskeyAlreadyRegistered } from "../../domain/passkey/passkey-errors";
import type { InvalidInput, ReauthenticationRequired } from "../../domain/shared/domain-error";
import { Unauthenticated } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { FreshAuthentication } from "../shared/services/fresh-authentication";
import type { PasskeyStores } from "./passkey-stores";
import type { WebAuthnCeremonies } from "./webauthn.port";

export interface RegisterPasskeyInput {
  readonly userId: string;
  readonly sessionId: string;
  /** The browser's `RegistrationResponseJSON`, unverified. */
  readonly response: unknown;
  readonly name: string;
  readonly context?: RequestContext;
}

export type RegisterPasskeyError = Unauthenticated | ReauthenticationRequired | InvalidInput | PasskeyRefused | PasskeyAlreadyRegistered;

/**
 * Stores a new passkey after its attestation verifies against a challenge this server issued to this
 * user for registration (consumed on first use, verified or not), with user verification. The owner
 * is mailed a notice and the event is logged in the same unit of work.
 */
export class RegisterPasskey {
  private readonly fresh: FreshAuthentication;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: PasskeyStores,
    private readonly uow: UnitOfWork<PasskeyStores>,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
    settings: AuthSettings,
    private readonly webAuthn: WebAuthnCeremonies,
  ) {
    this.fresh = new FreshAuthentication(settings.freshAuthMaxAgeSeconds);
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: RegisterPasskeyInput): Promise<Result<Passkey, RegisterPasskeyError>> {
    const now = this.clock.now();
    const fresh = await this.fresh.require(this.stores.sessions, input.sessionId, now);
    if (!fresh.ok) return fresh;
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    const name = Passkey.normaliseName(input.name);
    if (!name.ok) return name;

    const claimed = this.webAuthn.challengeOf(input.response);
    const challenge = claimed ? await this.stores.passkeyChallenges.consume(claimed, "registration", now) : null;
    if (!challenge || challenge.userId !== user.id) return this.refuse(user.id, input, "challenge");
    const verified = await this.webAuthn.verifyRegistration(input.response, challenge.challenge);
    if (!verified) return this.refuse(user.id, input, "verification");
    if (!verified.userVerified) return this.refuse(user.id, input, "user-verification");

    const created = Passkey.create(
      {
        id: this.randomTokens.newId(),
        userId: user.id,
        credentialId: verified.credentialId,
        publicKey: verified.publicKey,
        counter: verified.counter,
        transports: verified.transports,
        name: name.value,
      },
      now,
    );
    if (!created.ok) return created;
    const passkey = created.value;
    return this.uow.run(async (stores) => {
      const inserted = await stores.passkeys.insert(passkey);
      if (!inserted.ok) return inserted;
      await stores.outbox.enqueue({ to: user.email, template: "passkey-added", params: { name: passkey.name } });
      await this.events.record(stores.events, "passkey.added", user.id, input.context, { passkeyId: passkey.id });
      return ok(passkey);
    });
  }

  private async refuse(userId: string, input: RegisterPasskeyInput, reason: PasskeyRefused["reason"]): Promise<Result<never, PasskeyRefused>> {
    await this.events.record(this.stores.events, "passkey.refused", userId, input.context, { ceremony: "registration", reason });
    return fail(new PasskeyRefused(reason));
  }
}
