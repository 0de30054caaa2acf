import type { ApiKey } from "../../../domain/api-key/api-key";
import type { Session } from "../../../domain/session/session";
import type { User } from "../../../domain/identity/user";

/** What the API shows of its entities: never a hash, a token or anything else secret. */

export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly emailVerified: boolean;
  readonly createdAt: string;
}

export function presentUser(user: User): UserView {
  return { id: user.id, email: user.email, emailVerified: user.emailVerified, createdAt: user.createdAt.toISOString() };
}

export interface SessionView {
  readonly id: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly current: boolean;
  /** How the session's user last proved who they are, e.g. ["password", "totp"]. */
  readonly authMethods: readonly string[];
  readonly lastAuthenticatedAt: string;
}

export function presentSession(session: Session, current: boolean): SessionView {
  return {
    id: session.id,
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    userAgent: session.userAgent,
    ip: session.ip,
    authMethods: session.authMethods,
    lastAuthenticatedAt: session.lastAuthenticatedAt.toISOString(),
    current,
  };
}

export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  /** The public part of the key, so the user can tell their keys apart. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export function presentApiKey(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt ? key.lastUsedAt.toISOString() : null,
  };
}
