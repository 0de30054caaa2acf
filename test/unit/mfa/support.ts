import { generate } from "otplib";
import { createInMemoryAuth, TEST_CONTEXT, TEST_PASSWORD, type AuthSettingsOverrides, type InMemoryAuth } from "../../../src/infrastructure/testing/in-memory-auth";

/** The code an authenticator app shows for `secret`, `steps` time steps from the kit's clock. */
export function codeFor(auth: InMemoryAuth, secret: string, steps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(auth.clock.now().getTime() / 1000) + steps * 30 });
}

/** A kit with Ann signed up, verified and signed in, her authenticator set up and on; the clock a step later. */
export async function withTotp(settings?: AuthSettingsOverrides) {
  const auth = createInMemoryAuth({ settings });
  const ann = await auth.registerUser({ email: "ann@example.com" });
  const setup = await auth.useCases.setUpTotp.execute({ userId: ann.user.id, sessionId: ann.session.id });
  if (!setup.ok) throw new Error(setup.error.code);
  const secret = setup.value.secret;
  const enrolmentCode = await codeFor(auth, secret);
  const enabled = await auth.useCases.enableTotp.execute({ userId: ann.user.id, code: enrolmentCode, context: TEST_CONTEXT });
  if (!enabled.ok) throw new Error(enabled.error.code);
  auth.clock.advance({ seconds: 30 });
  return { auth, ann, secret, enrolmentCode, recoveryCodes: enabled.value.recoveryCodes };
}

/** The password step; returns the challenge secret (it fails the test when no second step is due). */
export async function passwordStep(auth: InMemoryAuth, email = "ann@example.com", password = TEST_PASSWORD): Promise<string> {
  const result = await auth.useCases.signIn.execute({ email, password, context: TEST_CONTEXT });
  if (result.ok || result.error.code !== "MFA_REQUIRED") throw new Error(`expected MFA_REQUIRED, got ${result.ok ? "a session" : result.error.code}`);
  return result.error.challenge;
}

export function secondStep(auth: InMemoryAuth, challenge: string | null, proof: { code: string } | { recoveryCode: string }, currentToken?: string) {
  return auth.useCases.completeSignIn.execute({ challenge, ...proof, context: TEST_CONTEXT, currentToken });
}
