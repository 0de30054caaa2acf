import { InvalidInput } from "../shared/domain-error";
import { fail, ok, type Result } from "../shared/result";
import { PasskeyRefused } from "./passkey-errors";

export const PASSKEY_NAME_MAX = 100;

export interface PasskeySnapshot {
  readonly id: string;
  readonly userId: string;
  /** The authenticator's credential id, base64url; unique across all users. */
  readonly credentialId: string;
  /** The COSE public key as the authenticator gave it. */
  readonly publicKey: Uint8Array;
  /** The signature counter last seen (0 for authenticators that keep none). */
  readonly counter: number;
  readonly transports: readonly string[];
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/** A WebAuthn credential bound to one user: the key that proves them, and the counter it last showed. */
export class Passkey {
  private constructor(private readonly snapshot: PasskeySnapshot) {}

  static create(
    input: Omit<PasskeySnapshot, "createdAt" | "lastUsedAt" | "name"> & { readonly name: string },
    now: Date,
  ): Result<Passkey, InvalidInput> {
    const name = Passkey.normaliseName(input.name);
    if (!name.ok) return name;
    return ok(new Passkey({ ...input, name: name.value, transports: [...input.transports], createdAt: now, lastUsedAt: null }));
  }

  static restore(snapshot: PasskeySnapshot): Passkey {
    return new Passkey({ ...snapshot });
  }

  static normaliseName(raw: string): Result<string, InvalidInput> {
    const name = typeof raw === "string" ? raw.trim() : "";
    if (name.length === 0) return fail(new InvalidInput("Enter a name for the passkey.", { name: "Enter a name." }));
    if (name.length > PASSKEY_NAME_MAX) {
      return fail(new InvalidInput("The name is too long.", { name: `Use at most ${PASSKEY_NAME_MAX} characters.` }));
    }
    return ok(name);
  }

  /**
   * The signature counter rule (WebAuthn L2 §6.1.1): when either counter is non-zero, the new one must be
   * greater than the stored one; otherwise the credential may have been cloned, and the assertion is refused.
   */
  static acceptsCounter(stored: number, presented: number): boolean {
    if (stored === 0 && presented === 0) return true;
    return presented > stored;
  }

  checkCounter(presented: number): Result<void, PasskeyRefused> {
    return Passkey.acceptsCounter(this.counter, presented) ? ok() : fail(new PasskeyRefused("counter"));
  }

  get id(): string {
    return this.snapshot.id;
  }
  get userId(): string {
    return this.snapshot.userId;
  }
  get credentialId(): string {
    return this.snapshot.credentialId;
  }
  get publicKey(): Uint8Array {
    return this.snapshot.publicKey;
  }
  get counter(): number {
    return this.snapshot.counter;
  }
  get transports(): readonly string[] {
    return this.snapshot.transports;
  }
  get name(): string {
    return this.snapshot.name;
  }
  get createdAt(): Date {
    return this.snapshot.createdAt;
  }
  get lastUsedAt(): Date | null {
    return this.snapshot.lastUsedAt;
  }

  toSnapshot(): PasskeySnapshot {
    return { ...this.snapshot };
  }
}
