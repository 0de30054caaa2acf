import { randomBytes } from "node:crypto";
import type { SessionTokenClaims, SessionTokens } from "../../application/shared/ports/session-tokens.port";

/**
 * Session tokens as opaque random strings mapped to their claims in memory: the same contract as
 * signed JWTs (unknown or expired → null) without key management, for unit tests and tools.
 */
export class InMemorySessionTokens implements SessionTokens {
  private readonly issued = new Map<string, SessionTokenClaims>();

  async sign(claims: SessionTokenClaims): Promise<string> {
    const token = `st_${randomBytes(24).toString("base64url")}`;
    this.issued.set(token, { ...claims });
    return token;
  }

  async verify(token: string, now: Date): Promise<SessionTokenClaims | null> {
    if (typeof token !== "string") return null;
    const claims = this.issued.get(token);
    if (!claims || now >= claims.expiresAt) return null;
    return { ...claims };
  }

  /** The claims behind a token regardless of expiry (for assertions). */
  peek(token: string): SessionTokenClaims | undefined {
    return this.issued.get(token);
  }
}
