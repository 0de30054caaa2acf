import type { BillingProvider, BillingSettings } from "../../application/billing";
import type { AuthSettings } from "../../application/shared/auth-settings";
import type { Clock } from "../../application/shared/ports/clock.port";
import type { PasswordHasher } from "../../application/shared/ports/password-hasher.port";
import type { RandomTokens } from "../../application/shared/ports/random-tokens.port";
import type { RateLimitStore } from "../../application/shared/ports/rate-limit-store.port";
import type { SecondFactorCodes } from "../../application/shared/ports/second-factor.port";
import type { SessionTokens } from "../../application/shared/ports/session-tokens.port";
import type { Stores, UnitOfWork } from "../persistence/stores";
import type { WebAuthnCeremonies } from "../../application/passkeys";
import type { CommonPasswords } from "../../domain/identity/password";
import type { AppConfig } from "../config";
import type { DevMailbox } from "../mail/dev-mailbox";
import type { Mailer } from "../mail/mailer";
import type { MailRenderer, OutboxDispatcher } from "../mail/outbox-dispatcher";
import type { OutboxQueue } from "../mail/outbox-queue";
import type { HashingLoad } from "../hashing-limit";
import type { AuthMetrics } from "../../application/shared/ports/metrics.port";
import type { AppLog, Telemetry } from "../observability";
import type { DevBillingProvider } from "../billing";
import { tokenName, USE_CASES, type UseCaseName, type UseCaseOf } from "./use-case-registry";

declare const serviceType: unique symbol;

/** A container key that remembers the type bound to it, so `resolve(TOKENS.X)` is typed. */
export type Token<T> = symbol & { readonly [serviceType]?: T };

function token<T>(name: string): Token<T> {
  // Symbol.for: the same key in every module graph Next.js loads (proxy, route handlers, pages).
  return Symbol.for(`nextauth-hex:${name}`) as Token<T>;
}

type UseCaseTokens = { readonly [K in UseCaseName as Capitalize<K>]: Token<UseCaseOf<K>> };

function useCaseTokens(): UseCaseTokens {
  return Object.fromEntries(Object.keys(USE_CASES).map((name) => [tokenName(name as UseCaseName), token(tokenName(name as UseCaseName))])) as UseCaseTokens;
}

/** The one list of what the composition root provides. */
export const TOKENS = {
  // configuration
  Config: token<AppConfig>("Config"),
  AuthSettings: token<AuthSettings>("AuthSettings"),
  // operations: the JSON log, this process's metrics, and the port the use cases count through
  Log: token<AppLog>("Log"),
  Telemetry: token<Telemetry>("Telemetry"),
  AuthMetrics: token<AuthMetrics>("AuthMetrics"),
  // crypto and time
  Clock: token<Clock>("Clock"),
  RandomTokens: token<RandomTokens>("RandomTokens"),
  PasswordHasher: token<PasswordHasher>("PasswordHasher"),
  /** The hasher behind PasswordHasher, also asked by the edge whether a sign-in or sign-up would be refused. */
  BoundedPasswordHasher: token<PasswordHasher & HashingLoad>("BoundedPasswordHasher"),
  SessionTokens: token<SessionTokens>("SessionTokens"),
  SecondFactorCodes: token<SecondFactorCodes>("SecondFactorCodes"),
  CommonPasswords: token<CommonPasswords>("CommonPasswords"),
  /** WebAuthn with the relying party of APP_URL. */
  WebAuthn: token<WebAuthnCeremonies>("WebAuthn"),
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
  // billing
  BillingProvider: token<BillingProvider>("BillingProvider"),
  BillingSettings: token<BillingSettings>("BillingSettings"),
  /** The dev checkout when it stands in for Stripe; null otherwise (its page then does not exist). */
  DevCheckout: token<DevBillingProvider | null>("DevCheckout"),
  // every use case, by its registry name capitalised: TOKENS.SignUp for `signUp`
  ...useCaseTokens(),
} as const;

export type TokenName = keyof typeof TOKENS;
/** The type bound to a token. */
export type Resolved<K> = K extends Token<infer T> ? T : never;

/** The token of a use case, by its registry name. */
export function useCaseToken<K extends UseCaseName>(name: K): Token<UseCaseOf<K>> {
  return (TOKENS as unknown as Record<string, Token<UseCaseOf<K>>>)[tokenName(name)]!;
}
