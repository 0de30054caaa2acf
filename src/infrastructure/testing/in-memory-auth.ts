/**
 * Everything the core needs, on in-memory adapters: every use case wired to one shared store, a
 * clock that moves only when told, a fast (insecure) password hasher and opaque session tokens.
 * For unit tests and tools; nothing here is fit for production.
 */
import {
  DEFAULT_AUTH_SETTINGS,
  type AuthSettings,
  type DeviceSettings,
  type FailurePolicy,
  type MfaSettings,
  type RateLimitSettings,
  type RetentionSettings,
} from "../../application/shared/auth-settings";
import type { SecondFactorCodes } from "../../application/shared/ports/second-factor.port";
import type { BillingProvider } from "../../application/billing";
import type { PasswordHasher } from "../../application/shared/ports/password-hasher.port";
import type { RandomTokens } from "../../application/shared/ports/random-tokens.port";
import type { SessionTokens } from "../../application/shared/ports/session-tokens.port";
import type { RequestContext } from "../../application/shared/request-context";
import type { SignUpOutput } from "../../application/identity";
import type { SessionPolicySettings } from "../../domain/session/session-policy";
import type { CommonPasswords, PasswordPolicy } from "../../domain/identity/password";
import type { User } from "../../domain/identity/user";
import { ControllableClock } from "../clock/controllable-clock";
import { FastPasswordHasher } from "../crypto/fast-password-hasher";
import { InMemorySessionTokens } from "../crypto/in-memory-session-tokens";
import { NodeRandomTokens } from "../crypto/node-random-tokens";
import { OtplibSecondFactorCodes } from "../crypto/otplib-second-factor-codes";
import { DevBillingProvider } from "../billing/dev-billing-provider";
import { buildUseCases } from "../di/use-case-registry";
import { relyingPartyOf, SimpleWebAuthnCeremonies } from "../webauthn/simple-webauthn-ceremonies";
import { createInMemoryStores } from "../persistence/in-memory";
import { FileCommonPasswords } from "../security/file-common-passwords";
import { CountingMetrics } from "./counting-metrics";

export interface AuthSettingsOverrides {
  readonly session?: Partial<SessionPolicySettings>;
  readonly password?: Partial<PasswordPolicy>;
  readonly verifyTokenTtlSeconds?: number;
  readonly resetTokenTtlSeconds?: number;
  readonly inviteTokenTtlSeconds?: number;
  readonly freshAuthMaxAgeSeconds?: number;
  readonly device?: Partial<DeviceSettings>;
  readonly mfa?: Partial<MfaSettings>;
  readonly retention?: Partial<RetentionSettings>;
  readonly rateLimits?: Partial<Omit<RateLimitSettings, "signInFailuresPerAccount">> & {
    readonly signInFailuresPerAccount?: Partial<FailurePolicy>;
  };
}

export interface InMemoryAuthOverrides<H extends PasswordHasher = FastPasswordHasher> {
  /** Merged over the product defaults, one level deep (and two for the failure policy). */
  readonly settings?: AuthSettingsOverrides;
  /** A clock to share, or the instant the kit's own clock starts at (default 2030-01-01T00:00Z). */
  readonly clock?: ControllableClock | Date | string;
  readonly hasher?: H;
  readonly sessionTokens?: SessionTokens;
  readonly randomTokens?: RandomTokens;
  /** Defaults to the real TOTP implementation (deterministic for a given clock). */
  readonly secondFactorCodes?: SecondFactorCodes;
  /** Defaults to the shipped blocklist. */
  readonly commonPasswords?: CommonPasswords;
  /** The site passkeys are scoped to (origin and RP ID); default `http://localhost:3000`. */
  readonly appUrl?: string;
  /** Defaults to the dev checkout, which needs no account anywhere. */
  readonly billing?: BillingProvider;
}

/** A password that passes the default policy and the blocklist. */
export const TEST_PASSWORD = "Vivid-Lantern-93";
export const TEST_CONTEXT: RequestContext = { ip: "203.0.113.7", userAgent: "jest" };

export function mergeSettings(base: AuthSettings, overrides: AuthSettingsOverrides = {}): AuthSettings {
  const rateLimits = overrides.rateLimits ?? {};
  return {
    session: { ...base.session, ...overrides.session },
    password: { ...base.password, ...overrides.password },
    verifyTokenTtlSeconds: overrides.verifyTokenTtlSeconds ?? base.verifyTokenTtlSeconds,
    resetTokenTtlSeconds: overrides.resetTokenTtlSeconds ?? base.resetTokenTtlSeconds,
    inviteTokenTtlSeconds: overrides.inviteTokenTtlSeconds ?? base.inviteTokenTtlSeconds,
    freshAuthMaxAgeSeconds: overrides.freshAuthMaxAgeSeconds ?? base.freshAuthMaxAgeSeconds,
    device: { ...base.device, ...overrides.device },
    mfa: { ...base.mfa, ...overrides.mfa },
    retention: { ...base.retention, ...overrides.retention },
    rateLimits: {
      ...base.rateLimits,
      ...rateLimits,
      signInFailuresPerAccount: { ...base.rateLimits.signInFailuresPerAccount, ...rateLimits.signInFailuresPerAccount },
    },
  };
}

export function createInMemoryAuth<H extends PasswordHasher = FastPasswordHasher>(overrides: InMemoryAuthOverrides<H> = {}) {
  const clock = overrides.clock instanceof ControllableClock ? overrides.clock : new ControllableClock(overrides.clock);
  const settings = mergeSettings(DEFAULT_AUTH_SETTINGS, overrides.settings);
  const { db, stores, uow, outbox, rateLimits } = createInMemoryStores({ clock });
  const hasher: H = overrides.hasher ?? (new FastPasswordHasher() as PasswordHasher as H);
  const sessionTokens = overrides.sessionTokens ?? new InMemorySessionTokens();
  const randomTokens = overrides.randomTokens ?? new NodeRandomTokens();
  const secondFactorCodes = overrides.secondFactorCodes ?? new OtplibSecondFactorCodes();
  const commonPasswords = overrides.commonPasswords ?? new FileCommonPasswords();
  const appUrl = overrides.appUrl ?? "http://localhost:3000";
  const webAuthn = new SimpleWebAuthnCeremonies(relyingPartyOf(appUrl));
  const metrics = new CountingMetrics();
  const billingSettings = { appUrl };
  const billing = overrides.billing ?? new DevBillingProvider({ appUrl: billingSettings.appUrl, secret: "in-memory-kit-dev-checkout-secret" }, clock);

  // Every use case of every capability's registry, built from these adapters.
  const useCases = buildUseCases({
    stores,
    uow,
    hasher,
    sessionTokens,
    randomTokens,
    secondFactorCodes,
    rateLimits,
    clock,
    commonPasswords,
    settings,
    webAuthn,
    metrics,
    billing,
    billingSettings,
  });

  /** Signs a user up (and, unless `verified: false`, verifies the address); throws if that fails. */
  async function registerUser(
    options: { email?: string; password?: string; verified?: boolean; context?: RequestContext } = {},
  ): Promise<SignUpOutput & { password: string }> {
    const email = options.email ?? `user-${randomTokens.newId().toLowerCase().replace(/[^a-z0-9]/g, "")}@example.com`;
    const password = options.password ?? TEST_PASSWORD;
    const signedUp = await useCases.signUp.execute({ email, password, context: options.context ?? TEST_CONTEXT });
    if (!signedUp.ok) throw new Error(`registerUser(${email}) failed: ${signedUp.error.code}`);
    let user: User = signedUp.value.user;
    if (options.verified !== false) {
      const token = outbox.lastTokenFor(user.email, "verify-email");
      const verified = await useCases.verifyEmail.execute({ token: token! });
      if (!verified.ok) throw new Error(`registerUser(${email}) could not verify: ${verified.error.code}`);
      user = verified.value.user;
    }
    return { ...signedUp.value, user, password };
  }

  return {
    useCases,
    clock,
    settings,
    db,
    stores,
    uow,
    outbox,
    rateLimits,
    hasher,
    sessionTokens,
    randomTokens,
    secondFactorCodes,
    commonPasswords,
    appUrl,
    metrics,
    billing,
    context: TEST_CONTEXT,
    registerUser,
  };
}

export type InMemoryAuth = ReturnType<typeof createInMemoryAuth<FastPasswordHasher>>;
