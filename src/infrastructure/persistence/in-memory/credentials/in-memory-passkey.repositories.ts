import type { PasskeyChallengeRepository, PasskeyRepository } from "../../../../application/passkeys";
import { Passkey } from "../../../../domain/passkey/passkey";
import type { PasskeyCeremony, PasskeyChallenge } from "../../../../domain/passkey/passkey-challenge";
import { PasskeyAlreadyRegistered } from "../../../../domain/passkey/passkey-errors";
import { fail, ok, type Result } from "../../../../domain/shared/result";
import type { TableAccess } from "../in-memory-database";

/** Passkeys with the database's rules: a credential id belongs to one passkey, a passkey to a real user. */
export class InMemoryPasskeyRepository implements PasskeyRepository {
  constructor(private readonly access: TableAccess) {}

  async insert(passkey: Passkey): Promise<Result<void, PasskeyAlreadyRegistered>> {
    const row = passkey.toSnapshot();
    if (this.access.has("passkeys", row.id)) throw new Error(`duplicate passkey id ${row.id}`);
    if (!this.access.has("users", row.userId)) throw new Error(`foreign key violation: no user ${row.userId}`);
    if (this.access.rows("passkeys").some((p) => p.credentialId === row.credentialId)) return fail(new PasskeyAlreadyRegistered());
    this.access.set("passkeys", row.id, { ...row, publicKey: new Uint8Array(row.publicKey), transports: [...row.transports] });
    return ok();
  }

  async findByCredentialId(credentialId: string): Promise<Passkey | null> {
    const row = this.access.rows("passkeys").find((p) => p.credentialId === credentialId);
    return row ? Passkey.restore(row) : null;
  }

  async listForUser(userId: string): Promise<Passkey[]> {
    return this.access
      .rows("passkeys")
      .filter((p) => p.userId === userId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
      .map((row) => Passkey.restore(row));
  }

  async delete(userId: string, passkeyId: string): Promise<Passkey | null> {
    const row = this.access.get("passkeys", passkeyId);
    if (!row || row.userId !== userId) return null;
    this.access.delete("passkeys", passkeyId);
    return Passkey.restore(row);
  }

  async recordUse(passkeyId: string, expectedCounter: number, newCounter: number, at: Date): Promise<boolean> {
    const row = this.access.get("passkeys", passkeyId);
    if (!row || row.counter !== expectedCounter) return false;
    this.access.set("passkeys", passkeyId, { ...row, counter: newCounter, lastUsedAt: at });
    return true;
  }
}

/** Challenges in flight; consuming one deletes it, so it answers once. */
export class InMemoryPasskeyChallengeRepository implements PasskeyChallengeRepository {
  constructor(private readonly access: TableAccess) {}

  async insert(challenge: PasskeyChallenge, now: Date): Promise<void> {
    for (const c of this.access.rows("passkeyChallenges")) if (c.expiresAt <= now) this.access.delete("passkeyChallenges", c.challenge);
    if (this.access.has("passkeyChallenges", challenge.challenge)) throw new Error("unique violation: passkey_challenges.challenge");
    this.access.set("passkeyChallenges", challenge.challenge, challenge);
  }

  async consume(challenge: string, ceremony: PasskeyCeremony, now: Date): Promise<PasskeyChallenge | null> {
    const row = this.access.get("passkeyChallenges", challenge);
    if (!row || row.ceremony !== ceremony) return null;
    this.access.delete("passkeyChallenges", challenge);
    return row.expiresAt > now ? row : null;
  }
}
