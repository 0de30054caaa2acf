// Credentials: the one check of who a request is and with what (session cookie, API key, device token).
import type { UseCaseRegistry } from "../shared/use-case-ports";
import { AuthenticateRequest } from "./authenticate-request.use-case";
import type { CredentialPorts } from "./credential-stores";

/** The credentials use cases, each built from its ports: the one place they are registered. */
export const credentialUseCases = {
  authenticateRequest: (p: CredentialPorts) => new AuthenticateRequest(p.stores, p.sessionTokens, p.randomTokens, p.clock, p.settings),
} satisfies UseCaseRegistry<CredentialPorts>;

export { AuthenticateRequest };
export type { CredentialPorts, CredentialStores } from "./credential-stores";
export type { AuthenticateRequestInput, AuthenticateRequestOutput } from "./authenticate-request.use-case";
