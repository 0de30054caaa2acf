/** A stored credential as the WebAuthn verifier needs it. */
export interface StoredCredential {
  readonly credentialId: string;
  readonly publicKey: Uint8Array;
  readonly counter: number;
  readonly transports: readonly string[];
}

/** What a verified registration yields, to be stored as a passkey. */
export interface VerifiedRegistration {
  readonly credentialId: string;
  readonly publicKey: Uint8Array;
  readonly counter: number;
  readonly transports: readonly string[];
  readonly userVerified: boolean;
}

export interface VerifiedAssertion {
  readonly newCounter: number;
  readonly userVerified: boolean;
}

/** Options for the browser's `navigator.credentials` call, as JSON, with the challenge they carry. */
export interface CeremonyOptions {
  readonly options: Readonly<Record<string, unknown>>;
  readonly challenge: string;
}

/**
 * The WebAuthn protocol: building ceremony options and verifying the browser's responses. The adapter
 * holds the relying party (RP ID and origin from APP_URL) and requires user verification; the use cases
 * keep the rules that need state (challenges, counters, who owns a credential).
 */
export interface WebAuthnCeremonies {
  registrationOptions(input: {
    readonly userHandle: string;
    readonly userName: string;
    readonly exclude: readonly StoredCredential[];
  }): Promise<CeremonyOptions>;
  /** Null when the response does not verify (wrong challenge, origin, RP ID, type, signature, no UV). */
  verifyRegistration(response: unknown, expectedChallenge: string): Promise<VerifiedRegistration | null>;
  authenticationOptions(): Promise<CeremonyOptions>;
  verifyAuthentication(response: unknown, expectedChallenge: string, credential: StoredCredential): Promise<VerifiedAssertion | null>;
  /** The challenge a response claims to answer (from its client data), or null when it is malformed. */
  challengeOf(response: unknown): string | null;
  /** The credential id a response names, or null when it is malformed. */
  credentialIdOf(response: unknown): string | null;
}
