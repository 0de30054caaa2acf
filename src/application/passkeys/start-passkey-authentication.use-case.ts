import { newPasskeyChallenge } from "../../domain/passkey/passkey-challenge";
import type { Clock } from "../shared/ports/clock.port";
import type { PasskeyStores } from "./passkey-stores";
import type { WebAuthnCeremonies } from "./webauthn.port";

/**
 * Options for `navigator.credentials.get()` with no credential list (discoverable credentials, so the
 * browser may offer them in the username field): a new challenge kept server-side for one
 * authentication. Used to sign in and, signed in, to step up.
 */
export class StartPasskeyAuthentication {
  constructor(
    private readonly stores: PasskeyStores,
    private readonly clock: Clock,
    private readonly webAuthn: WebAuthnCeremonies,
  ) {}

  async execute(): Promise<Readonly<Record<string, unknown>>> {
    const now = this.clock.now();
    const { options, challenge } = await this.webAuthn.authenticationOptions();
    await this.stores.passkeyChallenges.insert(newPasskeyChallenge(challenge, "authentication", null, now), now);
    return options;
  }
}
