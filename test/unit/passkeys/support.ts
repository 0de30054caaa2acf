import { createInMemoryAuth, type InMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";
import { SoftwareAuthenticator } from "../../support/software-authenticator";

/** A kit with Pat signed up (fresh session) and a software authenticator for the kit's site. */
export async function aPasskeyUser() {
  const auth = createInMemoryAuth() as InMemoryAuth;
  const pat = await auth.registerUser({ email: "pat@example.com" });
  const authenticator = new SoftwareAuthenticator(auth.appUrl);
  const who = { userId: pat.user.id, sessionId: pat.session.id };

  async function registrationOptions(as = who) {
    const options = await auth.useCases.startPasskeyRegistration.execute(as);
    if (!options.ok) throw new Error(options.error.code);
    return options.value as { challenge: string; user: { id: string }; excludeCredentials?: Array<{ id: string }> };
  }

  /** Registers a passkey on `authenticator` and returns it. */
  async function addPasskey(name = "Laptop", on = authenticator, as = who) {
    const response = on.register(await registrationOptions(as));
    const result = await auth.useCases.registerPasskey.execute({ ...as, response, name, context: auth.context });
    if (!result.ok) throw new Error(result.error.code);
    return result.value;
  }

  async function authenticationOptions() {
    const options = await auth.useCases.startPasskeyAuthentication.execute({ context: auth.context });
    if (!options.ok) throw new Error(options.error.code);
    return options.value as { challenge: string };
  }

  return { auth, pat, authenticator, who, registrationOptions, addPasskey, authenticationOptions };
}
