import type { AuthSettings } from "../../application/auth-settings";
import type { Clock } from "../../application/ports/clock.port";
import type { PasswordHasher } from "../../application/ports/password-hasher.port";
import type { RandomTokens } from "../../application/ports/random-tokens.port";
import type { RateLimitStore } from "../../application/ports/rate-limit-store.port";
import type { SessionTokens } from "../../application/ports/session-tokens.port";
import type { Stores, UnitOfWork } from "../../application/ports/unit-of-work.port";
import type {
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
} from "../../application/use-cases";
import type { CommonPasswords } from "../../domain/identity/password";
import type { AppConfig } from "../config";
import type { DevMailbox } from "../mail/dev-mailbox";
import type { Mailer } from "../mail/mailer";
import type { MailRenderer, OutboxDispatcher } from "../mail/outbox-dispatcher";
import type { OutboxQueue } from "../mail/outbox-queue";
import type { HashingLoad } from "../hashing-limit";

declare const serviceType: unique symbol;

/** A container key that remembers the type bound to it, so `resolve(TOKENS.X)` is typed. */
export type Token<T> = symbol & { readonly [serviceType]?: T };

function token<T>(name: string): Token<T> {
  // Symbol.for: the same key in every module graph Next.js loads (proxy, route handlers, pages).
  return Symbol.for(`nextauth-hex:${name}`) as Token<T>;
}

/** The one list of what the composition root provides. */
export const TOKENS = {
  // configuration
  Config: token<AppConfig>("Config"),
  AuthSettings: token<AuthSettings>("AuthSettings"),
  // crypto and time
  Clock: token<Clock>("Clock"),
  RandomTokens: token<RandomTokens>("RandomTokens"),
  PasswordHasher: token<PasswordHasher>("PasswordHasher"),
  /** The hasher behind PasswordHasher, also asked by the edge whether a sign-in or sign-up would be refused. */
  BoundedPasswordHasher: token<PasswordHasher & HashingLoad>("BoundedPasswordHasher"),
  SessionTokens: token<SessionTokens>("SessionTokens"),
  CommonPasswords: token<CommonPasswords>("CommonPasswords"),
  // persistence
  Stores: token<Stores>("Stores"),
  UnitOfWork: token<UnitOfWork>("UnitOfWork"),
  OutboxQueue: token<OutboxQueue>("OutboxQueue"),
  // rate limits
  RateLimitStore: token<RateLimitStore>("RateLimitStore"),
  // mail
  Mailer: token<Mailer>("Mailer"),
  MailRenderer: token<MailRenderer>("MailRenderer"),
  OutboxDispatcher: token<OutboxDispatcher>("OutboxDispatcher"),
  /** The development mailbox when mail is not sent over SMTP; null otherwise. */
  DevMailbox: token<DevMailbox | null>("DevMailbox"),
  // use cases
  SignUp: token<SignUp>("SignUp"),
  SignIn: token<SignIn>("SignIn"),
  SignOut: token<SignOut>("SignOut"),
  AuthenticateSession: token<AuthenticateSession>("AuthenticateSession"),
  ListSessions: token<ListSessions>("ListSessions"),
  RevokeSession: token<RevokeSession>("RevokeSession"),
  RevokeAllSessions: token<RevokeAllSessions>("RevokeAllSessions"),
  VerifyEmail: token<VerifyEmail>("VerifyEmail"),
  ResendVerification: token<ResendVerification>("ResendVerification"),
  RequestPasswordReset: token<RequestPasswordReset>("RequestPasswordReset"),
  ResetPassword: token<ResetPassword>("ResetPassword"),
  ChangePassword: token<ChangePassword>("ChangePassword"),
  DeleteAccount: token<DeleteAccount>("DeleteAccount"),
  CreateApiKey: token<CreateApiKey>("CreateApiKey"),
  ListApiKeys: token<ListApiKeys>("ListApiKeys"),
  RevokeApiKey: token<RevokeApiKey>("RevokeApiKey"),
  ListAuthEvents: token<ListAuthEvents>("ListAuthEvents"),
} as const;

export type TokenName = keyof typeof TOKENS;
/** The type bound to a token. */
export type Resolved<K> = K extends Token<infer T> ? T : never;
