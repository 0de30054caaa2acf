import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from "../../../../src/application/shared/auth-settings";
import type { SessionTokens } from "../../../../src/application/shared/ports/session-tokens.port";
import type { Stores, UnitOfWork } from "../../../../src/infrastructure/persistence/stores";
import type { RequestContext } from "../../../../src/application/shared/request-context";
import { ChangePassword, DeleteAccount, SignIn, SignOut, SignUp } from "../../../../src/application/identity";
import { AuthenticateSession, RevokeAllSessions, RevokeSession } from "../../../../src/application/sessions";
import type { ControllableClock } from "../../../../src/infrastructure/clock/controllable-clock";
import { FastPasswordHasher } from "../../../../src/infrastructure/crypto/fast-password-hasher";
import { NodeRandomTokens } from "../../../../src/infrastructure/crypto/node-random-tokens";
import { InMemoryRateLimitStore } from "../../../../src/infrastructure/persistence/in-memory";
import { FileCommonPasswords } from "../../../../src/infrastructure/security/file-common-passwords";
import { withSessionCache, type InvalidationBus, type SessionCache } from "../../../../src/infrastructure/session-cache";

export const PASSWORD = "Vivid-Lantern-93";
export const CONTEXT: RequestContext = { ip: "203.0.113.7", userAgent: "jest" };

export const SETTINGS: AuthSettings = {
  ...DEFAULT_AUTH_SETTINGS,
  rateLimits: { ...DEFAULT_AUTH_SETTINGS.rateLimits, enabled: false },
};

/** What every instance of the app shares: the clock, the signing of tokens, the password hashes. */
export interface Shared {
  readonly clock: ControllableClock;
  readonly sessionTokens: SessionTokens;
  readonly settings?: AuthSettings;
}

/**
 * One "instance of the app": its own cache in front of its own connection(s) to the shared store,
 * and the use cases a request would run, wired as the composition root wires them.
 */
export function appInstance(raw: { stores: Stores; uow: UnitOfWork }, bus: InvalidationBus, shared: Shared, ttlMs = 60_000) {
  const { stores, uow, cache } = withSessionCache({ ...raw, bus, ttlMs });
  const settings = shared.settings ?? SETTINGS;
  const { clock, sessionTokens } = shared;
  const hasher = new FastPasswordHasher();
  const randomTokens = new NodeRandomTokens();
  const rateLimits = new InMemoryRateLimitStore();
  const common = new FileCommonPasswords();
  const useCases = {
    signUp: new SignUp(stores, uow, hasher, sessionTokens, randomTokens, rateLimits, clock, common, settings),
    signIn: new SignIn(stores, uow, hasher, sessionTokens, randomTokens, rateLimits, clock, settings),
    signOut: new SignOut(stores, sessionTokens, randomTokens, clock),
    revokeAll: new RevokeAllSessions(stores, randomTokens, clock),
    revokeSession: new RevokeSession(stores, randomTokens, clock),
    authenticate: new AuthenticateSession(stores, sessionTokens, randomTokens, clock, settings),
    changePassword: new ChangePassword(stores, uow, hasher, sessionTokens, randomTokens, rateLimits, clock, common, settings),
    deleteAccount: new DeleteAccount(stores, uow, hasher, randomTokens, rateLimits, clock, settings),
  };

  return {
    cache,
    stores,
    uow,
    bus,
    ...useCases,
    /** The session check every authenticated request makes; null when refused. */
    async check(token: string) {
      const result = await useCases.authenticate.execute({ token, context: CONTEXT });
      return result.ok ? result.value : null;
    },
    async signUpUser(email = `u${randomTokens.newId().toLowerCase().replace(/[^a-z0-9]/g, "")}@example.com`) {
      const result = await useCases.signUp.execute({ email, password: PASSWORD, context: CONTEXT });
      if (!result.ok) throw new Error(`sign-up failed: ${result.error.code}`);
      return { email, userId: result.value.user.id, token: result.value.token };
    },
    async signInUser(email: string) {
      const result = await useCases.signIn.execute({ email, password: PASSWORD, context: CONTEXT });
      if (!result.ok) throw new Error(`sign-in failed: ${result.error.code}`);
      return { token: result.value.token, sessionId: result.value.session.id };
    },
  };
}

export type AppInstance = ReturnType<typeof appInstance>;

/** Cache hits and misses since `before`. */
export function cacheDelta(cache: SessionCache, before: { hits: number; misses: number; bypasses: number }) {
  return {
    hits: cache.stats.hits - before.hits,
    misses: cache.stats.misses - before.misses,
    bypasses: cache.stats.bypasses - before.bypasses,
  };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
