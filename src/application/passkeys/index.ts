// Passkeys: WebAuthn credentials to register, list and remove, to sign in with alone, and to step up with.
import type { UseCaseRegistry } from "../shared/use-case-ports";
import { ListPasskeys } from "./list-passkeys.use-case";
import type { PasskeyPorts } from "./passkey-stores";
import { ReauthenticateWithPasskey } from "./reauthenticate-with-passkey.use-case";
import { RegisterPasskey } from "./register-passkey.use-case";
import { RemovePasskey } from "./remove-passkey.use-case";
import { SignInWithPasskey } from "./sign-in-with-passkey.use-case";
import { StartPasskeyAuthentication } from "./start-passkey-authentication.use-case";
import { StartPasskeyRegistration } from "./start-passkey-registration.use-case";

/** The passkey use cases, each built from its ports: the one place they are registered. */
export const passkeyUseCases = {
  startPasskeyRegistration: (p: PasskeyPorts) => new StartPasskeyRegistration(p.stores, p.clock, p.settings, p.webAuthn),
  registerPasskey: (p: PasskeyPorts) => new RegisterPasskey(p.stores, p.uow, p.randomTokens, p.clock, p.settings, p.webAuthn),
  listPasskeys: (p: PasskeyPorts) => new ListPasskeys(p.stores),
  removePasskey: (p: PasskeyPorts) => new RemovePasskey(p.stores, p.uow, p.randomTokens, p.clock, p.settings),
  startPasskeyAuthentication: (p: PasskeyPorts) => new StartPasskeyAuthentication(p.stores, p.rateLimits, p.clock, p.settings, p.webAuthn, p.metrics),
  signInWithPasskey: (p: PasskeyPorts) =>
    new SignInWithPasskey(p.stores, p.uow, p.sessionTokens, p.randomTokens, p.rateLimits, p.clock, p.settings, p.webAuthn, p.metrics),
  reauthenticateWithPasskey: (p: PasskeyPorts) =>
    new ReauthenticateWithPasskey(p.stores, p.uow, p.sessionTokens, p.randomTokens, p.clock, p.settings, p.webAuthn),
} satisfies UseCaseRegistry<PasskeyPorts>;

export type { PasskeyOwnPorts, PasskeyPorts, PasskeyStores } from "./passkey-stores";
export type { PasskeyChallengeRepository, PasskeyRepository } from "./passkey-repositories.port";
export type { CeremonyOptions, StoredCredential, VerifiedAssertion, VerifiedRegistration, WebAuthnCeremonies } from "./webauthn.port";
export { ListPasskeys, ReauthenticateWithPasskey, RegisterPasskey, RemovePasskey, SignInWithPasskey };
export { StartPasskeyAuthentication, StartPasskeyRegistration };
export type { RegisterPasskeyInput } from "./register-passkey.use-case";
export type { SignInWithPasskeyInput, SignInWithPasskeyOutput } from "./sign-in-with-passkey.use-case";
