import { ContainerModule } from "inversify";
import type { AuthSettings } from "../../../application/auth-settings";
import type { Clock } from "../../../application/ports/clock.port";
import type { PasswordHasher } from "../../../application/ports/password-hasher.port";
import type { RandomTokens } from "../../../application/ports/random-tokens.port";
import type { RateLimitStore } from "../../../application/ports/rate-limit-store.port";
import type { SessionTokens } from "../../../application/ports/session-tokens.port";
import type { Stores, UnitOfWork } from "../../../application/ports/unit-of-work.port";
import {
  AuthenticateSession,
  ChangePassword,
  CreateApiKey,
  DeleteAccount,
  ListApiKeys,
  ListAuthEvents,
  ListSessions,
  RequestPasswordReset,
  ResendVerification,
  ResetPassword,
  RevokeAllSessions,
  RevokeApiKey,
  RevokeSession,
  SignIn,
  SignOut,
  SignUp,
  VerifyEmail,
} from "../../../application/use-cases";
import type { CommonPasswords } from "../../../domain/identity/password";
import { TOKENS as T } from "../tokens";
import { bindFactory } from "./bind";

/**
 * Every use case, built from its ports in constructor order. The parameter types of each factory are
 * checked against the tokens listed beside it, so a reordered constructor fails to compile here.
 */
export function useCasesModule(): ContainerModule {
  return new ContainerModule((o) => {
    bindFactory(
      o,
      T.SignUp,
      (s: Stores, u: UnitOfWork, h: PasswordHasher, st: SessionTokens, r: RandomTokens, rl: RateLimitStore, c: Clock, cp: CommonPasswords, a: AuthSettings) =>
        new SignUp(s, u, h, st, r, rl, c, cp, a),
      [T.Stores, T.UnitOfWork, T.PasswordHasher, T.SessionTokens, T.RandomTokens, T.RateLimitStore, T.Clock, T.CommonPasswords, T.AuthSettings],
    );
    bindFactory(
      o,
      T.SignIn,
      (s: Stores, u: UnitOfWork, h: PasswordHasher, st: SessionTokens, r: RandomTokens, rl: RateLimitStore, c: Clock, a: AuthSettings) =>
        new SignIn(s, u, h, st, r, rl, c, a),
      [T.Stores, T.UnitOfWork, T.PasswordHasher, T.SessionTokens, T.RandomTokens, T.RateLimitStore, T.Clock, T.AuthSettings],
    );
    bindFactory(o, T.SignOut, (s: Stores, st: SessionTokens, r: RandomTokens, c: Clock) => new SignOut(s, st, r, c), [
      T.Stores,
      T.SessionTokens,
      T.RandomTokens,
      T.Clock,
    ]);
    bindFactory(
      o,
      T.AuthenticateSession,
      (s: Stores, st: SessionTokens, r: RandomTokens, c: Clock, a: AuthSettings) => new AuthenticateSession(s, st, r, c, a),
      [T.Stores, T.SessionTokens, T.RandomTokens, T.Clock, T.AuthSettings],
    );
    bindFactory(o, T.ListSessions, (s: Stores, c: Clock, a: AuthSettings) => new ListSessions(s, c, a), [T.Stores, T.Clock, T.AuthSettings]);
    bindFactory(o, T.RevokeSession, (s: Stores, r: RandomTokens, c: Clock) => new RevokeSession(s, r, c), [T.Stores, T.RandomTokens, T.Clock]);
    bindFactory(o, T.RevokeAllSessions, (s: Stores, r: RandomTokens, c: Clock) => new RevokeAllSessions(s, r, c), [
      T.Stores,
      T.RandomTokens,
      T.Clock,
    ]);
    bindFactory(o, T.VerifyEmail, (s: Stores, u: UnitOfWork, r: RandomTokens, c: Clock) => new VerifyEmail(s, u, r, c), [
      T.Stores,
      T.UnitOfWork,
      T.RandomTokens,
      T.Clock,
    ]);
    bindFactory(
      o,
      T.ResendVerification,
      (s: Stores, u: UnitOfWork, r: RandomTokens, rl: RateLimitStore, c: Clock, a: AuthSettings) => new ResendVerification(s, u, r, rl, c, a),
      [T.Stores, T.UnitOfWork, T.RandomTokens, T.RateLimitStore, T.Clock, T.AuthSettings],
    );
    bindFactory(
      o,
      T.RequestPasswordReset,
      (s: Stores, u: UnitOfWork, r: RandomTokens, rl: RateLimitStore, c: Clock, a: AuthSettings) => new RequestPasswordReset(s, u, r, rl, c, a),
      [T.Stores, T.UnitOfWork, T.RandomTokens, T.RateLimitStore, T.Clock, T.AuthSettings],
    );
    bindFactory(
      o,
      T.ResetPassword,
      (s: Stores, u: UnitOfWork, h: PasswordHasher, r: RandomTokens, rl: RateLimitStore, c: Clock, cp: CommonPasswords, a: AuthSettings) =>
        new ResetPassword(s, u, h, r, rl, c, cp, a),
      [T.Stores, T.UnitOfWork, T.PasswordHasher, T.RandomTokens, T.RateLimitStore, T.Clock, T.CommonPasswords, T.AuthSettings],
    );
    bindFactory(
      o,
      T.ChangePassword,
      (
        s: Stores,
        u: UnitOfWork,
        h: PasswordHasher,
        st: SessionTokens,
        r: RandomTokens,
        rl: RateLimitStore,
        c: Clock,
        cp: CommonPasswords,
        a: AuthSettings,
      ) => new ChangePassword(s, u, h, st, r, rl, c, cp, a),
      [T.Stores, T.UnitOfWork, T.PasswordHasher, T.SessionTokens, T.RandomTokens, T.RateLimitStore, T.Clock, T.CommonPasswords, T.AuthSettings],
    );
    bindFactory(
      o,
      T.DeleteAccount,
      (s: Stores, u: UnitOfWork, h: PasswordHasher, r: RandomTokens, rl: RateLimitStore, c: Clock, a: AuthSettings) =>
        new DeleteAccount(s, u, h, r, rl, c, a),
      [T.Stores, T.UnitOfWork, T.PasswordHasher, T.RandomTokens, T.RateLimitStore, T.Clock, T.AuthSettings],
    );
    bindFactory(o, T.CreateApiKey, (s: Stores, u: UnitOfWork, r: RandomTokens, c: Clock) => new CreateApiKey(s, u, r, c), [
      T.Stores,
      T.UnitOfWork,
      T.RandomTokens,
      T.Clock,
    ]);
    bindFactory(o, T.ListApiKeys, (s: Stores) => new ListApiKeys(s), [T.Stores]);
    bindFactory(o, T.RevokeApiKey, (s: Stores, r: RandomTokens, c: Clock) => new RevokeApiKey(s, r, c), [T.Stores, T.RandomTokens, T.Clock]);
    bindFactory(o, T.ListAuthEvents, (s: Stores) => new ListAuthEvents(s), [T.Stores]);
  });
}
