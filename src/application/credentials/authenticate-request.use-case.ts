import { apiKeyPrefixOf } from "../../domain/api-key/api-key";
import { deviceTokenPrefixOf } from "../../domain/device/device-token";
import type { User } from "../../domain/identity/user";
import type { Session } from "../../domain/session/session";
import { constantTimeEqual } from "../../domain/shared/constant-time";
import { LAST_USE_RESOLUTION_MS, type CredentialView } from "../../domain/shared/credential";
import { Unauthenticated } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { SessionTokens } from "../shared/ports/session-tokens.port";
import type { RequestContext } from "../shared/request-context";
import { SessionAuthenticator } from "../shared/services/session-authenticator";
import type { CredentialStores } from "./credential-stores";

export interface AuthenticateRequestInput {
  /**
   * The secret of an `Authorization: Bearer` header. When the request has one (even empty or
   * malformed), it alone decides: a bearer request never reads the cookie.
   */
  readonly bearer?: string | null;
  /** The session cookie value, exactly as received. */
  readonly sessionToken?: string | null;
  readonly context?: RequestContext;
}

export interface AuthenticateRequestOutput {
  readonly user: User;
  readonly credential: CredentialView;
  /** The session in force when the cookie authenticated the request; null for a bearer. */
  readonly session: Session | null;
  /** Set only when the session was rotated: the new cookie value. */
  readonly token?: string;
}

/**
 * Who is this request, and with what kind of credential: the one check for the session cookie, an
 * API key and a device token.
 *
 * Bearer secrets are read by prefix through the same stores as sessions, so the composition root puts
 * them behind the same cache and invalidation bus (src/infrastructure/session-cache): a revocation is
 * evicted on every live instance before the revoking request is answered, and a revoked or expired
 * key or token fails on its very next request everywhere, without a database read per bearer request.
 */
export class AuthenticateRequest {
  private readonly sessions: SessionAuthenticator;

  constructor(
    private readonly stores: CredentialStores,
    sessionTokens: SessionTokens,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
    settings: AuthSettings,
  ) {
    this.sessions = new SessionAuthenticator(stores, sessionTokens, randomTokens, clock, settings);
  }

  async execute(input: AuthenticateRequestInput): Promise<Result<AuthenticateRequestOutput, Unauthenticated>> {
    if (input.bearer !== undefined && input.bearer !== null) return this.bearer(input.bearer);
    const result = await this.sessions.authenticate(input.sessionToken, input.context);
    if (!result.ok) return result;
    const { user, session, token } = result.value;
    const credential: CredentialView = { kind: "session", id: session.id, name: session.userAgent ?? "Browser session" };
    return ok(token ? { user, credential, session, token } : { user, credential, session });
  }

  /**
   * A session JWT, or anything else that is neither an API key nor a device token, matches no
   * prefix and is refused: the session token is accepted from the cookie only.
   */
  private async bearer(secret: string): Promise<Result<AuthenticateRequestOutput, Unauthenticated>> {
    const now = this.clock.now();
    const notBefore = new Date(now.getTime() - LAST_USE_RESOLUTION_MS);
    const apiKeyPrefix = apiKeyPrefixOf(secret);
    if (apiKeyPrefix) {
      const key = await this.stores.apiKeys.findByPrefix(apiKeyPrefix);
      if (!key || key.isRevoked || !constantTimeEqual(key.secretHash, this.randomTokens.hash(secret))) return fail(new Unauthenticated());
      const user = await this.stores.users.findById(key.userId);
      if (!user) return fail(new Unauthenticated());
      if (key.lastUsedAt === null || key.lastUsedAt < notBefore) await this.stores.apiKeys.recordUse(key.id, now, notBefore);
      return ok({ user, credential: { kind: "api-key", id: key.id, name: key.name }, session: null });
    }
    const devicePrefix = deviceTokenPrefixOf(secret);
    if (devicePrefix) {
      const token = await this.stores.deviceTokens.findByPrefix(devicePrefix);
      if (!token || !token.isActive(now) || !constantTimeEqual(token.secretHash, this.randomTokens.hash(secret))) return fail(new Unauthenticated());
      const user = await this.stores.users.findById(token.userId);
      if (!user) return fail(new Unauthenticated());
      if (token.lastUsedAt === null || token.lastUsedAt < notBefore) await this.stores.deviceTokens.recordUse(token.id, now, notBefore);
      return ok({ user, credential: { kind: "device", id: token.id, name: token.clientName }, session: null });
    }
    return fail(new Unauthenticated());
  }
}
