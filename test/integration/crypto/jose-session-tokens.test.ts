import { createHmac } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type JWTHeaderParameters } from "jose";
import { JoseSessionTokens, SESSION_TOKEN_TYPE } from "../../../src/infrastructure/crypto/jose-session-tokens";

const SECRET = "s3cr3t-current-key-0123456789-abcdefghij";
const PREVIOUS = "s3cr3t-previous-key-0123456789-abcdefghij";
const ATTACKER = "attacker-controlled-key-0123456789-abcdefg";
const ISSUER = "https://app.example.com";
const AUDIENCE = "https://app.example.com/session";

const issuedAt = new Date("2026-01-01T10:00:00Z");
const expiresAt = new Date("2026-01-31T10:00:00Z");
const now = new Date("2026-01-02T10:00:00Z");
const claims = { sub: "user-AbC123", sid: "session-XyZ789", issuedAt, expiresAt };

const tokens = new JoseSessionTokens({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
const bytes = (s: string) => new TextEncoder().encode(s);
const b64url = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

const goodPayload = (): JWTPayload => ({
  iss: ISSUER,
  aud: AUDIENCE,
  sub: claims.sub,
  sid: claims.sid,
  iat: seconds(issuedAt),
  exp: seconds(expiresAt),
});
const goodHeader = (): JWTHeaderParameters => ({ alg: "HS256", typ: SESSION_TOKEN_TYPE });

/** Signs whatever header and payload with HMAC, exactly as given: the forger's tool. */
function hmacToken(header: object, payload: object, key: string, hash = "sha256"): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${createHmac(hash, key).update(input).digest("base64url")}`;
}

describe("JoseSessionTokens", () => {
  it("round-trips the claims: ids and times only", async () => {
    const token = await tokens.sign(claims);
    await expect(tokens.verify(token, now)).resolves.toEqual(claims);
    const [header, payload] = token.split(".").slice(0, 2).map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
    expect(header).toEqual({ alg: "HS256", typ: SESSION_TOKEN_TYPE });
    expect(Object.keys(payload).sort()).toEqual(["aud", "exp", "iat", "iss", "sid", "sub"]);
  });

  it("accepts a token until its expiry and refuses it from that second on", async () => {
    const token = await tokens.sign(claims);
    await expect(tokens.verify(token, new Date(expiresAt.getTime() - 1000))).resolves.not.toBeNull();
    await expect(tokens.verify(token, expiresAt)).resolves.toBeNull();
    await expect(tokens.verify(token, new Date(expiresAt.getTime() + 86400_000))).resolves.toBeNull();
  });

  it("accepts a hand-made token with exactly our claims (so the forgeries below fail for their flaw)", async () => {
    await expect(tokens.verify(hmacToken(goodHeader(), goodPayload(), SECRET), now)).resolves.toEqual(claims);
  });

  describe("secret rotation", () => {
    it("verifies a token signed with a previous secret and signs new ones with the current secret", async () => {
      const before = new JoseSessionTokens({ secret: PREVIOUS, issuer: ISSUER, audience: AUDIENCE });
      const after = new JoseSessionTokens({ secret: SECRET, previousSecrets: [PREVIOUS], issuer: ISSUER, audience: AUDIENCE });
      const old = await before.sign(claims);
      await expect(after.verify(old, now)).resolves.toEqual(claims);
      const fresh = await after.sign(claims);
      await expect(tokens.verify(fresh, now)).resolves.toEqual(claims);
      await expect(before.verify(fresh, now)).resolves.toBeNull();
    });

    it("refuses a token of a secret that was dropped from the list", async () => {
      const before = new JoseSessionTokens({ secret: PREVIOUS, issuer: ISSUER, audience: AUDIENCE });
      await expect(tokens.verify(await before.sign(claims), now)).resolves.toBeNull();
    });

    it("refuses a secret shorter than 32 bytes, current or previous", () => {
      expect(() => new JoseSessionTokens({ secret: "short" })).toThrow(/at least 32 bytes/);
      expect(() => new JoseSessionTokens({ secret: "x".repeat(31) })).toThrow(RangeError);
      expect(() => new JoseSessionTokens({ secret: SECRET, previousSecrets: ["tiny"] })).toThrow(/previous/);
      expect(() => new JoseSessionTokens({ secret: "x".repeat(32) })).not.toThrow();
    });
  });

  it("refuses to sign nonsense claims", async () => {
    await expect(tokens.sign({ ...claims, sub: "" })).rejects.toThrow();
    await expect(tokens.sign({ ...claims, expiresAt: issuedAt })).rejects.toThrow();
    await expect(tokens.sign({ ...claims, issuedAt: new Date(NaN) })).rejects.toThrow();
  });

  describe("refuses every forgery, returning null without throwing", () => {
    const forgeries: [string, () => Promise<string>][] = [
      ["alg none, no signature", async () => `${b64url({ alg: "none", typ: SESSION_TOKEN_TYPE })}.${b64url(goodPayload())}.`],
      ["alg none, stripped", async () => `${b64url({ alg: "none" })}.${b64url(goodPayload())}`],
      ["alg None with our signature", async () => hmacToken({ alg: "None", typ: SESSION_TOKEN_TYPE }, goodPayload(), SECRET)],
      ["alg hs256 in lower case", async () => hmacToken({ alg: "hs256", typ: SESSION_TOKEN_TYPE }, goodPayload(), SECRET)],
      ["HS384 with the same key", async () => hmacToken({ alg: "HS384", typ: SESSION_TOKEN_TYPE }, goodPayload(), SECRET, "sha384")],
      ["HS512 with the same key", async () => hmacToken({ alg: "HS512", typ: SESSION_TOKEN_TYPE }, goodPayload(), SECRET, "sha512")],
      ["HS512 through jose", async () => new SignJWT(goodPayload()).setProtectedHeader({ alg: "HS512", typ: SESSION_TOKEN_TYPE }).sign(bytes(SECRET))],
      ["RS256 header over an HMAC of our key", async () => hmacToken({ alg: "RS256", typ: SESSION_TOKEN_TYPE }, goodPayload(), SECRET)],
      [
        "RS256 signed by an attacker key",
        async () => {
          const { privateKey } = await generateKeyPair("RS256");
          return new SignJWT(goodPayload()).setProtectedHeader({ alg: "RS256", typ: SESSION_TOKEN_TYPE }).sign(privateKey);
        },
      ],
      ["a wrong key", async () => hmacToken(goodHeader(), goodPayload(), ATTACKER)],
      ["the right key with a character less", async () => hmacToken(goodHeader(), goodPayload(), SECRET.slice(0, -1))],
      [
        "a tampered payload (another user)",
        async () => {
          const [h, , s] = (await tokens.sign(claims)).split(".");
          return `${h}.${b64url({ ...goodPayload(), sub: "user-victim" })}.${s}`;
        },
      ],
      [
        "a tampered payload (later expiry)",
        async () => {
          const [h, , s] = (await tokens.sign(claims)).split(".");
          return `${h}.${b64url({ ...goodPayload(), exp: seconds(expiresAt) + 10 * 365 * 86400 })}.${s}`;
        },
      ],
      [
        "a tampered header",
        async () => {
          const [, p, s] = (await tokens.sign(claims)).split(".");
          return `${b64url({ alg: "HS256", typ: "JWT" })}.${p}.${s}`;
        },
      ],
      [
        "a flipped signature bit",
        async () => {
          const [h, p, s] = (await tokens.sign(claims)).split(".");
          const sig = Buffer.from(s, "base64url");
          sig[0] ^= 1;
          return `${h}.${p}.${sig.toString("base64url")}`;
        },
      ],
      ["missing sub", async () => hmacToken(goodHeader(), { ...goodPayload(), sub: undefined }, SECRET)],
      ["missing sid", async () => hmacToken(goodHeader(), { ...goodPayload(), sid: undefined }, SECRET)],
      ["missing exp", async () => hmacToken(goodHeader(), { ...goodPayload(), exp: undefined }, SECRET)],
      ["missing iat", async () => hmacToken(goodHeader(), { ...goodPayload(), iat: undefined }, SECRET)],
      ["a non-string sid", async () => hmacToken(goodHeader(), { ...goodPayload(), sid: 42 }, SECRET)],
      ["an empty sub", async () => hmacToken(goodHeader(), { ...goodPayload(), sub: "" }, SECRET)],
      ["a string exp", async () => hmacToken(goodHeader(), { ...goodPayload(), exp: "99999999999" }, SECRET)],
      ["a wrong issuer", async () => hmacToken(goodHeader(), { ...goodPayload(), iss: "https://evil.example" }, SECRET)],
      ["no issuer", async () => hmacToken(goodHeader(), { ...goodPayload(), iss: undefined }, SECRET)],
      ["a wrong audience", async () => hmacToken(goodHeader(), { ...goodPayload(), aud: "https://app.example.com/api" }, SECRET)],
      ["no audience", async () => hmacToken(goodHeader(), { ...goodPayload(), aud: undefined }, SECRET)],
      ["a wrong typ", async () => hmacToken({ alg: "HS256", typ: "JWT" }, goodPayload(), SECRET)],
      ["an access-token typ", async () => hmacToken({ alg: "HS256", typ: "at+jwt" }, goodPayload(), SECRET)],
      ["no typ", async () => hmacToken({ alg: "HS256" }, goodPayload(), SECRET)],
      ["an expired token", async () => hmacToken(goodHeader(), { ...goodPayload(), exp: seconds(now) - 1 }, SECRET)],
      ["a not-yet-valid token", async () => hmacToken(goodHeader(), { ...goodPayload(), nbf: seconds(now) + 3600 }, SECRET)],
      ["a kid header, even with our key", async () => hmacToken({ ...goodHeader(), kid: "previous" }, goodPayload(), SECRET)],
      ["a kid naming a file, attacker key", async () => hmacToken({ ...goodHeader(), kid: "../../../../dev/null" }, goodPayload(), "")],
      [
        "an embedded jwk (oct) holding the attacker key",
        async () => hmacToken({ ...goodHeader(), jwk: { kty: "oct", k: b64url(ATTACKER) } }, goodPayload(), ATTACKER),
      ],
      [
        "an embedded jwk (RSA) with an RS256 signature",
        async () => {
          const { privateKey, publicKey } = await generateKeyPair("RS256");
          return new SignJWT(goodPayload())
            .setProtectedHeader({ alg: "RS256", typ: SESSION_TOKEN_TYPE, jwk: await exportJWK(publicKey) })
            .sign(privateKey);
        },
      ],
      ["a jku header", async () => hmacToken({ ...goodHeader(), jku: "https://evil.example/jwks.json" }, goodPayload(), ATTACKER)],
      ["an x5u header", async () => hmacToken({ ...goodHeader(), x5u: "https://evil.example/cert.pem" }, goodPayload(), ATTACKER)],
      ["an x5c header", async () => hmacToken({ ...goodHeader(), x5c: ["MIIB"] }, goodPayload(), ATTACKER)],
      ["a crit header", async () => hmacToken({ ...goodHeader(), crit: ["exp"] }, goodPayload(), SECRET)],
      ["an unencoded payload (b64: false)", async () => hmacToken({ ...goodHeader(), b64: false, crit: ["b64"] }, goodPayload(), SECRET)],
      ["a JWE-shaped token", async () => `${b64url({ alg: "dir", enc: "A256GCM" })}..aaaa.bbbb.cccc`],
      ["an empty string", async () => ""],
      ["garbage", async () => "not.a.token"],
      ["one segment", async () => "eyJhbGciOiJIUzI1NiJ9"],
      ["four segments", async () => `${await tokens.sign(claims)}.extra`],
      ["whitespace around a valid token", async () => ` ${await tokens.sign(claims)} `],
      ["invalid base64", async () => "@@@.###.$$$"],
      ["JSON that is not an object", async () => `${b64url("[]")}.${b64url("[]")}.${b64url("x")}`],
      ["a huge input", async () => `${b64url(goodHeader())}.${"A".repeat(5_000_000)}.${"B".repeat(43)}`],
      [
        "a huge but validly signed token",
        async () => hmacToken(goodHeader(), { ...goodPayload(), pad: "x".repeat(10_000) }, SECRET),
      ],
      ["a non-string value", async () => ({ toString: () => "x" }) as unknown as string],
    ];

    it.each(forgeries)("%s", async (_name, forge) => {
      const token = await forge();
      await expect(tokens.verify(token, now)).resolves.toBeNull();
    });
  });

  it("checks expiry against the time it is given, not the machine clock", async () => {
    const longAgo = new Date("2001-01-01T00:00:00Z");
    const token = await tokens.sign({ ...claims, issuedAt: longAgo, expiresAt: new Date("2001-01-02T00:00:00Z") });
    await expect(tokens.verify(token, new Date("2001-01-01T12:00:00Z"))).resolves.not.toBeNull();
    await expect(tokens.verify(token, now)).resolves.toBeNull();
  });

  it("uses its own defaults for issuer and audience, and those of another deployment do not cross over", async () => {
    const a = new JoseSessionTokens({ secret: SECRET });
    const b = new JoseSessionTokens({ secret: SECRET, issuer: "https://other.example", audience: "https://other.example" });
    await expect(a.verify(await a.sign(claims), now)).resolves.toEqual(claims);
    await expect(b.verify(await a.sign(claims), now)).resolves.toBeNull();
  });
});
