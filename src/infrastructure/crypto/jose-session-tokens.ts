import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from "jose";
import type { SessionTokenClaims, SessionTokens } from "../../application/shared/ports/session-tokens.port";

export interface JoseSessionTokensOptions {
  /** Signs new tokens and verifies them; at least 32 bytes (UTF-8). */
  readonly secret: string;
  /** Former secrets, still accepted for verification while a rotation runs its course. */
  readonly previousSecrets?: readonly string[];
  readonly issuer?: string;
  readonly audience?: string;
}

export const MIN_SECRET_BYTES = 32;
/** A JWT's `typ` header, so a token of another kind signed with the same key is never taken for a session. */
export const SESSION_TOKEN_TYPE = "session+jwt";
const ALGORITHM = "HS256";
/** Our tokens are ~300 characters; a cookie cannot exceed 4 KB. Anything longer is refused unparsed. */
const MAX_TOKEN_LENGTH = 4096;
/** The only header parameters we write; `kid`, `jku`, `jwk`, `x5u`, `x5c`, `crit`… mean a foreign token. */
const ALLOWED_HEADER = new Set(["alg", "typ"]);
const MAX_ID_LENGTH = 256;

/**
 * Session cookie tokens: HS256 JWTs naming a server-side session. Verification is pinned (algorithm,
 * issuer, audience, type, required claims, expiry at the caller's `now`); keys come only from
 * configuration, never from the token.
 */
export class JoseSessionTokens implements SessionTokens {
  private readonly signingKey: Uint8Array;
  private readonly verificationKeys: readonly Uint8Array[];
  private readonly issuer: string;
  private readonly audience: string;

  constructor(options: JoseSessionTokensOptions) {
    const secrets = [options.secret, ...(options.previousSecrets ?? [])];
    const keys = secrets.map((secret, index) => {
      const key = new TextEncoder().encode(typeof secret === "string" ? secret : "");
      if (key.byteLength < MIN_SECRET_BYTES) {
        const which = index === 0 ? "the session secret" : `previous session secret #${index}`;
        throw new RangeError(`${which} must be at least ${MIN_SECRET_BYTES} bytes`);
      }
      return key;
    });
    this.signingKey = keys[0];
    this.verificationKeys = keys;
    this.issuer = options.issuer ?? "nextauth-hex";
    this.audience = options.audience ?? "nextauth-hex:session";
  }

  async sign(claims: SessionTokenClaims): Promise<string> {
    if (!isId(claims.sub) || !isId(claims.sid)) throw new TypeError("sub and sid must be non-empty ids");
    const iat = Math.floor(claims.issuedAt.getTime() / 1000);
    // Rounded down, so the token never outlives the session it names.
    const exp = Math.floor(claims.expiresAt.getTime() / 1000);
    if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp <= iat) {
      throw new RangeError("a session token must expire after it is issued");
    }
    return new SignJWT({ sid: claims.sid })
      .setProtectedHeader({ alg: ALGORITHM, typ: SESSION_TOKEN_TYPE })
      .setSubject(claims.sub)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.signingKey);
  }

  async verify(token: string, now: Date): Promise<SessionTokenClaims | null> {
    if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    try {
      const header = decodeProtectedHeader(token);
      if (Object.keys(header).some((name) => !ALLOWED_HEADER.has(name))) return null;
    } catch {
      return null;
    }

    for (const key of this.verificationKeys) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: this.issuer,
          audience: this.audience,
          typ: SESSION_TOKEN_TYPE,
          requiredClaims: ["sub", "sid", "iat", "exp"],
          currentDate: now,
        });
        const { sub, sid, iat, exp } = payload as Record<string, unknown>;
        if (!isId(sub) || !isId(sid) || typeof iat !== "number" || typeof exp !== "number") return null;
        return { sub, sid, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) };
      } catch (error) {
        // Only a signature mismatch means "maybe another of our keys"; any other failure is final.
        if (error instanceof errors.JWSSignatureVerificationFailed) continue;
        return null;
      }
    }
    return null;
  }
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_ID_LENGTH;
}
