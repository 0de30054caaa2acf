import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { UseCasePorts } from "../shared/use-case-ports";
import type { PasskeyChallengeRepository, PasskeyRepository } from "./passkey-repositories.port";
import type { WebAuthnCeremonies } from "./webauthn.port";

/** What the passkey use cases store: the shared stores, passkeys and the challenges in flight. */
export interface PasskeyStores extends SharedStores {
  readonly passkeys: PasskeyRepository;
  readonly passkeyChallenges: PasskeyChallengeRepository;
}

/** The port only this capability needs, beside the common ones. */
export interface PasskeyOwnPorts {
  readonly webAuthn: WebAuthnCeremonies;
}

export type PasskeyPorts = UseCasePorts<PasskeyStores> & PasskeyOwnPorts;
