import { resolve, join } from "node:path";
import { validateSync } from "class-validator";
import {
  DEFAULT_AUTH_SETTINGS,
  DEFAULT_RATE_LIMITS,
  type AuthSettings,
  type RateLimitRule,
  type RateLimitSettings,
} from "../../application/shared/auth-settings";
import { parseLogLevel, type LogLevel } from "../observability/logger";
import { billingConfig, type BillingConfig } from "./billing-config";
import { ConfigError } from "./config-error";
import { readOrCreateDevSecret } from "./dev-secret";
import { Environment, parseBoolean, parseDeviceClients, splitList, VARIABLES, type VariableName } from "./environment";

/** Everything the process is configured with, validated and typed. */
export interface AppConfig {
  /** NODE_ENV=production: secrets, APP_URL and SMTP are required and nothing is generated. */
  readonly production: boolean;
  readonly port: number;
  /** Public origin without a trailing slash, e.g. `https://app.example.com`. */
  readonly appUrl: string;
  /** Null: the embedded PGlite database under `dataDir`. */
  readonly databaseUrl: string | null;
  /** Absolute path of the data folder (embedded database, dev secret, dev mailbox). */
  readonly dataDir: string;
  readonly redisUrl: string | null;
  readonly trustProxy: boolean;
  readonly sessionSecret: {
    readonly current: string;
    /** Still accepted for verification while a rotation runs its course. */
    readonly previous: readonly string[];
    /** True when it was generated for development (kept in `${dataDir}/dev-secret`). */
    readonly generated: boolean;
  };
  readonly mail: {
    /** Null: development mailbox in `mailboxDir` instead of SMTP (never in production). */
    readonly smtpUrl: string | null;
    readonly from: string;
    readonly mailboxDir: string;
    /** Seconds a temporarily failing mail is retried before it ends as failed. */
    readonly maxRetryAgeSeconds: number;
  };
  /** The bearer token that opens /api/metrics; null: no metrics route (404). */
  readonly metricsToken: string | null;
  readonly logLevel: LogLevel;
  readonly argon2: { readonly memoryKiB: number; readonly timeCost: number; readonly parallelism: number };
  readonly auth: AuthSettings;
  readonly billing: BillingConfig;
}

export const DEFAULT_APP_URL = "http://localhost:3000";
export const DEFAULT_MAIL_FROM = "no-reply@localhost";
export const DEFAULT_DATA_DIR = ".data";
/** Five days, as MTAs keep trying a deferred message (Postfix's maximal_queue_lifetime). */
export const DEFAULT_MAIL_MAX_RETRY_AGE = 5 * 86400;
const DEFAULT_ARGON2 = { memoryKiB: 19456, timeCost: 2, parallelism: 1 };

/**
 * Reads and validates the environment once, at start. Throws a ConfigError whose one-line message
 * names the first bad variable and how to fix it.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): AppConfig {
  const raw = new Environment();
  raw.production = env.NODE_ENV === "production";
  for (const name of VARIABLES) {
    const value = env[name]?.trim();
    if (value) raw[name] = value;
  }

  const errors = validateSync(raw, { stopAtFirstError: true });
  if (errors.length > 0) {
    const first = [...errors].sort((a, b) => order(a.property) - order(b.property))[0]!;
    throw new ConfigError(first.property, Object.values(first.constraints ?? {})[0] ?? `${first.property} is invalid`);
  }

  const dataDir = resolve(raw.DATA_DIR ?? DEFAULT_DATA_DIR);
  const int = (name: VariableName, fallback: number) => (raw[name] === undefined ? fallback : Number(raw[name]));
  const defaults = DEFAULT_AUTH_SETTINGS;

  return {
    production: raw.production,
    port: int("PORT", 3000),
    // In development the default follows PORT, so links in e-mails reach the server that sent them.
    appUrl: new URL(raw.APP_URL ?? (raw.PORT ? `http://localhost:${int("PORT", 3000)}` : DEFAULT_APP_URL)).origin,
    databaseUrl: raw.DATABASE_URL ?? null,
    dataDir,
    redisUrl: raw.REDIS_URL ?? null,
    trustProxy: raw.TRUST_PROXY === undefined ? false : parseBoolean(raw.TRUST_PROXY)!,
    sessionSecret: {
      // Production without a secret has already failed validation above.
      current: raw.AUTH_JWT_SECRET ?? readOrCreateDevSecret(dataDir),
      previous: splitList(raw.AUTH_JWT_SECRET_PREVIOUS),
      generated: raw.AUTH_JWT_SECRET === undefined,
    },
    mail: {
      smtpUrl: raw.SMTP_URL ?? null,
      from: raw.MAIL_FROM ?? DEFAULT_MAIL_FROM,
      mailboxDir: join(dataDir, "mailbox"),
      maxRetryAgeSeconds: int("MAIL_MAX_RETRY_AGE", DEFAULT_MAIL_MAX_RETRY_AGE),
    },
    metricsToken: raw.METRICS_TOKEN ?? null,
    logLevel: parseLogLevel(raw.LOG_LEVEL) ?? "info",
    argon2: {
      memoryKiB: int("ARGON2_MEMORY_KIB", DEFAULT_ARGON2.memoryKiB),
      timeCost: int("ARGON2_TIME_COST", DEFAULT_ARGON2.timeCost),
      parallelism: int("ARGON2_PARALLELISM", DEFAULT_ARGON2.parallelism),
    },
    billing: billingConfig(raw),
    auth: {
      session: {
        ...defaults.session,
        maxAgeSeconds: int("SESSION_MAX_AGE", defaults.session.maxAgeSeconds),
        idleTimeoutSeconds: int("SESSION_IDLE_TIMEOUT", defaults.session.idleTimeoutSeconds),
        rotateAfterSeconds: int("SESSION_ROTATE_AFTER", defaults.session.rotateAfterSeconds),
        maxActivePerUser: int("SESSION_MAX_PER_USER", defaults.session.maxActivePerUser),
      },
      password: { ...defaults.password, minLength: int("PASSWORD_MIN_LENGTH", defaults.password.minLength) },
      verifyTokenTtlSeconds: int("VERIFY_TOKEN_TTL", defaults.verifyTokenTtlSeconds),
      resetTokenTtlSeconds: int("RESET_TOKEN_TTL", defaults.resetTokenTtlSeconds),
      inviteTokenTtlSeconds: int("INVITE_TOKEN_TTL", defaults.inviteTokenTtlSeconds),
      freshAuthMaxAgeSeconds: int("FRESH_AUTH_MAX_AGE", defaults.freshAuthMaxAgeSeconds),
      rateLimits: rateLimits(raw, int),
      device: {
        ...defaults.device,
        // The user-code throttles follow RATE_LIMIT_SCALE like every other limit (0: off through `enabled`).
        issuePerIp: scaledRule(raw, { ...defaults.device.issuePerIp, limit: int("RATE_LIMIT_DEVICE_CODES_PER_IP", defaults.device.issuePerIp.limit) }),
        perIp: scaledRule(raw, defaults.device.perIp),
        perUser: scaledRule(raw, defaults.device.perUser),
        perCode: scaledRule(raw, defaults.device.perCode),
        codeTtlSeconds: int("DEVICE_CODE_TTL", defaults.device.codeTtlSeconds),
        tokenTtlSeconds: int("DEVICE_TOKEN_TTL", defaults.device.tokenTtlSeconds),
        clients: raw.DEVICE_CLIENTS === undefined ? defaults.device.clients : parseDeviceClients(raw.DEVICE_CLIENTS)!,
      },
      mfa: {
        challengeTtlSeconds: int("MFA_CHALLENGE_TTL", defaults.mfa.challengeTtlSeconds),
        issuer: raw.MFA_ISSUER ?? defaults.mfa.issuer,
      },
      retention: {
        intervalSeconds: int("RETENTION_INTERVAL", defaults.retention.intervalSeconds),
        batchSize: int("RETENTION_BATCH_SIZE", defaults.retention.batchSize),
        pauseRatio: int("RETENTION_PAUSE_RATIO", defaults.retention.pauseRatio),
        authEventRetentionDays: int("AUTH_EVENT_RETENTION_DAYS", defaults.retention.authEventRetentionDays),
      },
    },
  };
}

function scaledRule(raw: Environment, rule: RateLimitRule): RateLimitRule {
  const scale = raw.RATE_LIMIT_SCALE === undefined ? 1 : Number(raw.RATE_LIMIT_SCALE);
  return { ...rule, limit: Math.max(1, Math.round(rule.limit * scale)) };
}

/** Each knob sets one limit's count; RATE_LIMIT_SCALE then multiplies every count (0: all off). Windows and delays stay. */
const MAX_LOCK_AFTER = 99;

function rateLimits(raw: Environment, int: (name: VariableName, fallback: number) => number): RateLimitSettings {
  const d = DEFAULT_RATE_LIMITS;
  const scale = raw.RATE_LIMIT_SCALE === undefined ? 1 : Number(raw.RATE_LIMIT_SCALE);
  const scaled = (count: number) => Math.max(1, Math.round(count * scale));
  const rule = (base: RateLimitRule, name: VariableName): RateLimitRule => ({ ...base, limit: scaled(int(name, base.limit)) });

  // The hard stop stays well under 100 consecutive failures whatever the scale (SECURITY: a lock
  // "well under 100 … until a password reset"); only RATE_LIMIT_SCALE=0 turns it off.
  const lockAfter = Math.min(MAX_LOCK_AFTER, scaled(int("RATE_LIMIT_SIGN_IN_LOCK_AFTER", d.signInFailuresPerAccount.lockAfter)));
  // Not scaled: the second factor's lock bounds how many of a million codes an attacker may try.
  const mfaLockAfter = int("RATE_LIMIT_MFA_LOCK_AFTER", d.mfaFailuresPerUser.lockAfter);
  return {
    enabled: scale > 0,
    signInPerIp: rule(d.signInPerIp, "RATE_LIMIT_SIGN_IN_PER_IP"),
    signInFailuresPerAccount: {
      ...d.signInFailuresPerAccount,
      lockAfter,
      // The free failures come before the lock, whatever the lock is set to.
      freeFailures: Math.min(scaled(d.signInFailuresPerAccount.freeFailures), lockAfter - 1),
    },
    signUpPerIp: rule(d.signUpPerIp, "RATE_LIMIT_SIGN_UP_PER_IP"),
    emailPerAccount: rule(d.emailPerAccount, "RATE_LIMIT_EMAIL_PER_ACCOUNT"),
    emailPerIp: rule(d.emailPerIp, "RATE_LIMIT_EMAIL_PER_IP"),
    invitationsPerUser: { ...d.invitationsPerUser, limit: scaled(d.invitationsPerUser.limit) },
    mfaPerIp: rule(d.mfaPerIp, "RATE_LIMIT_MFA_PER_IP"),
    mfaFailuresPerUser: { ...d.mfaFailuresPerUser, lockAfter: mfaLockAfter, freeFailures: Math.min(d.mfaFailuresPerUser.freeFailures, mfaLockAfter - 1) },
  };
}

function order(property: string): number {
  const index = (VARIABLES as readonly string[]).indexOf(property);
  return index < 0 ? VARIABLES.length : index;
}
