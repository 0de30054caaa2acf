/**
 * A software WebAuthn authenticator for tests: an ES256 key pair per credential, "none" attestation,
 * assertions signed over authenticatorData ‖ SHA-256(clientDataJSON) as a real authenticator does.
 * Every field a relying party checks can be bent (origin, RP ID, UV flag, counter) to test refusals.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

export interface CeremonyTweaks {
  /** The origin written into clientDataJSON (default: the authenticator's). */
  readonly origin?: string;
  /** The RP ID hashed into authenticatorData (default: the authenticator's). */
  readonly rpId?: string;
  /** The UV flag (default true). */
  readonly userVerified?: boolean;
  /** The signature counter to report (default: one more than last time; registration 0). */
  readonly counter?: number;
  /** The clientDataJSON type (default webauthn.create / webauthn.get). */
  readonly type?: string;
  /** The challenge to answer, instead of the one in the options. */
  readonly challenge?: string;
}

export interface Credential {
  readonly id: Buffer;
  readonly privateKey: KeyObject;
  readonly cose: Buffer;
  readonly userHandle: string;
  counter: number;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export class SoftwareAuthenticator {
  readonly credentials: Credential[] = [];

  constructor(
    readonly origin: string,
    readonly rpId: string = new URL(origin).hostname,
  ) {}

  /** Answers `navigator.credentials.create(options)`: a new credential, as `RegistrationResponseJSON`. */
  register(options: { challenge: string; user?: { id?: string } }, tweaks: CeremonyTweaks = {}, reuse?: Credential) {
    const credential = reuse ?? newCredential(options.user?.id ?? "", tweaks.counter ?? 0);
    const { id, cose } = credential;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([this.authDataHead(tweaks, 0x40, credential.counter), Buffer.alloc(16), idLength, id, cose]);
    const attestationObject = cbor(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    if (!reuse) this.credentials.push(credential);
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key",
      response: {
        clientDataJSON: this.clientData("webauthn.create", options.challenge, tweaks),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  /** Answers `navigator.credentials.get(options)` with a credential (default: the last registered). */
  authenticate(options: { challenge: string }, tweaks: CeremonyTweaks = {}, credential = this.credentials.at(-1)) {
    if (!credential) throw new Error("no credential registered on this authenticator");
    credential.counter = tweaks.counter ?? credential.counter + 1;
    const authData = this.authDataHead(tweaks, 0, credential.counter);
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, tweaks);
    const signed = Buffer.concat([authData, createHash("sha256").update(Buffer.from(clientDataJSON, "base64url")).digest()]);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      response: {
        clientDataJSON,
        authenticatorData: b64url(authData),
        signature: b64url(sign("sha256", signed, credential.privateKey)),
        userHandle: credential.userHandle || undefined,
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  private authDataHead(tweaks: CeremonyTweaks, extraFlags: number, counter: number): Buffer {
    const rpIdHash = createHash("sha256").update(tweaks.rpId ?? this.rpId).digest();
    const flags = Buffer.from([0x01 | (tweaks.userVerified === false ? 0 : 0x04) | extraFlags]);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([rpIdHash, flags, count]);
  }

  private clientData(type: string, challenge: string, tweaks: CeremonyTweaks): string {
    return b64url(
      JSON.stringify({ type: tweaks.type ?? type, challenge: tweaks.challenge ?? challenge, origin: tweaks.origin ?? this.origin, crossOrigin: false }),
    );
  }
}

function newCredential(userHandle: string, counter: number): Credential {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const cose = cbor(new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, "base64url")], [-3, Buffer.from(jwk.y!, "base64url")]]));
  return { id: randomBytes(32), privateKey, cose, userHandle, counter };
}

/** Just enough CBOR (RFC 8949) for attestation objects and COSE keys: ints, byte and text strings, maps. */
function cbor(value: unknown): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Map) {
    const parts = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new Error(`cbor: cannot encode ${typeof value}`);
}
