import { newPasskeyChallenge } from "../../domain/passkey/passkey-challenge";
import type { ReauthenticationRequired } from "../../domain/shared/domain-error";
import { Unauthenticated } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import { FreshAuthentication } from "../shared/services/fresh-authentication";
import type { PasskeyStores } from "./passkey-stores";
import type { WebAuthnCeremonies } from "./webauthn.port";

export interface StartPasskeyRegistrationInput {
  readonly userId: string;
  readonly sessionId: string;
}

/**
 * Options for `navigator.credentials.create()`: a new challenge kept server-side and bound to this user,
 * and the user's passkeys as `excludeCredentials` so one authenticator is not registered twice.
 * Adding a passkey is a sensitive action: the session must be fresh.
 */
export class StartPasskeyRegistration {
  private readonly fresh: FreshAuthentication;

  constructor(
    private readonly stores: PasskeyStores,
    private readonly clock: Clock,
    settings: AuthSettings,
    private readonly webAuthn: WebAuthnCeremonies,
  ) {
    this.fresh = new FreshAuthentication(settings.freshAuthMaxAgeSeconds);
  }

  async execute(input: StartPasskeyRegistrationInput): Promise<Result<Readonly<Record<string, unknown>>, Unauthenticated | ReauthenticationRequired>> {
    const now = this.clock.now();
    const fresh = await this.fresh.require(this.stores.sessions, input.sessionId, now);
    if (!fresh.ok) return fresh;
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    const existing = await this.stores.passkeys.listForUser(user.id);
    const { options, challenge } = await this.webAuthn.registrationOptions({ userHandle: user.id, userName: user.email, exclude: existing });
    await this.stores.passkeyChallenges.insert(newPasskeyChallenge(challenge, "registration", user.id, now), now);
    return ok(options);
  }
}
