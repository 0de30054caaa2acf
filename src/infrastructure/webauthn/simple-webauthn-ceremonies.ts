import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { decodeClientDataJSON, isoBase64URL } from "@simplewebauthn/server/helpers";
import type {
  CeremonyOptions,
  StoredCredential,
  VerifiedAssertion,
  VerifiedRegistration,
  WebAuthnCeremonies,
} from "../../application/passkeys";
import { PASSKEY_CHALLENGE_TTL_SECONDS } from "../../domain/passkey/passkey-challenge";

export interface RelyingParty {
  /** The site's origin, APP_URL's: the only origin a response may come from. */
  readonly origin: string;
  /** Its host name (no port): the RP ID every credential is scoped to. */
  readonly rpId: string;
  /** Shown by the browser while creating a passkey. */
  readonly name: string;
}

/** The relying party of an APP_URL: origin as is, RP ID its host name. */
export function relyingPartyOf(appUrl: string, name = "nextauth-hex"): RelyingParty {
  const url = new URL(appUrl);
  return { origin: url.origin, rpId: url.hostname, name };
}

const TIMEOUT_MS = PASSKEY_CHALLENGE_TTL_SECONDS * 1000;
const MAX_FIELD = 64 * 1024;

/**
 * WebAuthn with @simplewebauthn/server 14: user verification required, resident keys preferred, no
 * attestation asked for (the passkey proves possession; which device it is, is not checked), ES256,
 * EdDSA and RS256 accepted. Anything that does not verify, including a malformed response, is null.
 */
export class SimpleWebAuthnCeremonies implements WebAuthnCeremonies {
  constructor(private readonly rp: RelyingParty) {}

  async registrationOptions(input: { userHandle: string; userName: string; exclude: readonly StoredCredential[] }): Promise<CeremonyOptions> {
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.rpId,
      userName: input.userName,
      userID: new TextEncoder().encode(input.userHandle),
      timeout: TIMEOUT_MS,
      attestationType: "none",
      excludeCredentials: input.exclude.map((c) => ({ id: c.credentialId, transports: transportsOf(c.transports) })),
      authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
    });
    return { options: options as unknown as Record<string, unknown>, challenge: options.challenge };
  }

  async verifyRegistration(response: unknown, expectedChallenge: string): Promise<VerifiedRegistration | null> {
    if (!isResponse(response, "attestationObject")) return null;
    try {
      const result = await verifyRegistrationResponse({
        response: response as unknown as RegistrationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.rpId,
        requireUserVerification: true,
      });
      if (!result.verified) return null;
      const { credential, userVerified } = result.registrationInfo;
      return {
        credentialId: credential.id,
        publicKey: new Uint8Array(credential.publicKey),
        counter: credential.counter,
        transports: transportsOf(credential.transports ?? (response.response as { transports?: unknown }).transports) ?? [],
        userVerified,
      };
    } catch {
      return null;
    }
  }

  async authenticationOptions(): Promise<CeremonyOptions> {
    const options = await generateAuthenticationOptions({ rpID: this.rp.rpId, userVerification: "required", timeout: TIMEOUT_MS });
    return { options: options as unknown as Record<string, unknown>, challenge: options.challenge };
  }

  async verifyAuthentication(response: unknown, expectedChallenge: string, credential: StoredCredential): Promise<VerifiedAssertion | null> {
    if (!isResponse(response, "authenticatorData")) return null;
    try {
      const result = await verifyAuthenticationResponse({
        response: response as unknown as AuthenticationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.rpId,
        credential: {
          id: credential.credentialId,
          publicKey: new Uint8Array(credential.publicKey),
          counter: credential.counter,
          transports: transportsOf(credential.transports),
        },
        requireUserVerification: true,
      });
      if (!result.verified) return null;
      return { newCounter: result.authenticationInfo.newCounter, userVerified: result.authenticationInfo.userVerified };
    } catch {
      return null;
    }
  }

  challengeOf(response: unknown): string | null {
    if (!isResponse(response)) return null;
    try {
      const clientData = decodeClientDataJSON((response.response as { clientDataJSON: string }).clientDataJSON);
      return typeof clientData.challenge === "string" && clientData.challenge.length > 0 ? clientData.challenge : null;
    } catch {
      return null;
    }
  }

  credentialIdOf(response: unknown): string | null {
    return isResponse(response) && isoBase64URL.isBase64URL(response.id) ? response.id : null;
  }
}

type ResponseShape = { id: string; rawId: string; type: "public-key"; response: Record<string, unknown> };

/** The outer shape of a PublicKeyCredential JSON, with bounded string fields, before any library sees it. */
function isResponse(value: unknown, field?: string): value is ResponseShape {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  const inner = r.response as Record<string, unknown> | undefined;
  const short = (v: unknown) => typeof v === "string" && v.length > 0 && v.length <= MAX_FIELD;
  return (
    short(r.id) &&
    short(r.rawId) &&
    r.type === "public-key" &&
    typeof inner === "object" &&
    inner !== null &&
    short(inner.clientDataJSON) &&
    (field === undefined || short(inner[field]))
  );
}

const TRANSPORTS = new Set(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);

function transportsOf(value: unknown): AuthenticatorTransport[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((t): t is AuthenticatorTransport => typeof t === "string" && TRANSPORTS.has(t));
}
