import type { User } from "../../domain/identity/user";
import type { Passkey } from "../../domain/passkey/passkey";
import { PasskeyRefused, type PasskeyRefusal } from "../../domain/passkey/passkey-errors";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { PasskeyStores } from "./passkey-stores";
import type { WebAuthnCeremonies } from "./webauthn.port";

export interface ProvenPasskey {
  readonly user: User;
  readonly passkey: Passkey;
}

/**
 * Verifies a passkey assertion: the challenge it answers was issued here for an authentication and is
 * consumed now (verified or not, so a replay finds nothing); the credential is registered; the
 * signature, origin, RP ID and user verification check out; the signature counter moved forward and is
 * stored with a compare-and-set, so a cloned authenticator or a concurrent replay is refused.
 */
export class PasskeyAssertion {
  constructor(private readonly webAuthn: WebAuthnCeremonies) {}

  async verify(stores: PasskeyStores, response: unknown, now: Date): Promise<Result<ProvenPasskey, PasskeyRefused>> {
    const refuse = (reason: PasskeyRefusal) => fail(new PasskeyRefused(reason));
    const claimed = this.webAuthn.challengeOf(response);
    const challenge = claimed ? await stores.passkeyChallenges.consume(claimed, "authentication", now) : null;
    if (!challenge) return refuse("challenge");
    const credentialId = this.webAuthn.credentialIdOf(response);
    const passkey = credentialId ? await stores.passkeys.findByCredentialId(credentialId) : null;
    if (!passkey) return refuse("unknown-credential");
    const verified = await this.webAuthn.verifyAuthentication(response, challenge.challenge, passkey);
    if (!verified) return refuse("verification");
    if (!verified.userVerified) return refuse("user-verification");
    const counter = passkey.checkCounter(verified.newCounter);
    if (!counter.ok) return counter;
    if (!(await stores.passkeys.recordUse(passkey.id, passkey.counter, verified.newCounter, now))) return refuse("counter");
    const user = await stores.users.findById(passkey.userId);
    if (!user) return refuse("unknown-credential");
    return ok({ user, passkey });
  }
}
