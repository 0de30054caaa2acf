import {
  appUrlProblem,
  bytes,
  isMailbox,
  LOCAL_HOSTS,
  parseBoolean,
  parseDeviceClients,
  protocolIn,
  splitList,
} from "./environment-rules";
import { ValidateBy, type ValidationArguments } from "class-validator";

export const MIN_SECRET_BYTES = 32;
/** Chrome caps a cookie's lifetime at 400 days; a longer session could not be kept anyway. */
const MAX_COOKIE_SECONDS = 400 * 86400;

/**
 * The environment as the process received it, one property per variable, each validated by one rule
 * whose message names the variable and the fix. Values are trimmed strings; empty counts as unset.
 */
export class Environment {
  /** Not a variable: NODE_ENV=production, which makes some variables required. */
  production = false;

  @Setting((v) => protocolIn(v, ["postgres:", "postgresql:"]), (p) => `${p} is not a PostgreSQL URL: set it to postgres://user:password@host:5432/database, or unset it to use the embedded database`)
  DATABASE_URL?: string;

  @RequiredInProduction(
    (v) => bytes(v) >= MIN_SECRET_BYTES,
    (p) => `${p} is missing: set it to at least ${MIN_SECRET_BYTES} random bytes, e.g. "openssl rand -base64 48"`,
    (p, v) => `${p} is too short (${bytes(v)} bytes): set it to at least ${MIN_SECRET_BYTES} random bytes, e.g. "openssl rand -base64 48"`,
  )
  AUTH_JWT_SECRET?: string;

  @Setting(
    (v) => splitList(v).every((secret) => bytes(secret) >= MIN_SECRET_BYTES),
    (p) => `${p} holds a secret shorter than ${MIN_SECRET_BYTES} bytes: list only former AUTH_JWT_SECRET values, separated by commas`,
  )
  AUTH_JWT_SECRET_PREVIOUS?: string;

  @RequiredInProduction(
    (v, env) => appUrlProblem(v, env.production) === null,
    (p) => `${p} is missing: set it to the public origin of the site, e.g. https://app.example.com`,
    (p, v, env) => `${p} ${appUrlProblem(v, env.production)}: set it to the public origin of the site, e.g. https://app.example.com`,
  )
  APP_URL?: string;

  @RequiredInProduction(
    (v) => protocolIn(v, ["smtp:", "smtps:"]),
    (p) => `${p} is missing: production sends real mail, set it to smtp://user:password@host:587 (or smtps://…:465)`,
    (p) => `${p} is not an SMTP URL: set it to smtp://user:password@host:587 (or smtps://…:465)`,
  )
  SMTP_URL?: string;

  @Integer(3600, 30 * 86400, "seconds a mail that fails temporarily is retried before it is given up as failed")
  MAIL_MAX_RETRY_AGE?: string;

  @Setting(isMailbox, (p) => `${p} is not an e-mail address: set it to an address such as no-reply@example.com or "Example <no-reply@example.com>"`)
  MAIL_FROM?: string;

  @Integer(1, 65535, "the TCP port to listen on")
  PORT?: string;

  @Setting((v) => protocolIn(v, ["redis:", "rediss:"]), (p) => `${p} is not a Redis URL: set it to redis://host:6379 (or rediss://…), or unset it`)
  REDIS_URL?: string;

  @Setting((v) => parseBoolean(v) !== null, (p) => `${p} must be true or false: set it to true only behind a proxy you run that sets X-Forwarded-For`)
  TRUST_PROXY?: string;

  @Integer(60, MAX_COOKIE_SECONDS, "seconds; browsers keep a cookie at most 400 days")
  SESSION_MAX_AGE?: string;

  @Integer(60, MAX_COOKIE_SECONDS, "seconds without use before a session ends")
  SESSION_IDLE_TIMEOUT?: string;

  @Integer(60, MAX_COOKIE_SECONDS, "seconds before a session moves to a new id")
  SESSION_ROTATE_AFTER?: string;

  @Integer(60, 30 * 86400, "seconds a verification link works")
  VERIFY_TOKEN_TTL?: string;

  @Integer(60, 86400, "seconds a reset link works; it is a key to the account, keep it short")
  RESET_TOKEN_TTL?: string;

  @Integer(60, 30 * 86400, "seconds a team invitation link works")
  INVITE_TOKEN_TTL?: string;

  @Integer(30, 86400, "seconds after an authentication during which sensitive actions need no step-up")
  FRESH_AUTH_MAX_AGE?: string;

  @Integer(60, 1800, "seconds a device code waits for approval (RFC 8628 suggests minutes, not hours)")
  DEVICE_CODE_TTL?: string;

  @Integer(300, 31536000, "seconds a device token works before the device must sign in again")
  DEVICE_TOKEN_TTL?: string;

  @Setting(
    (v) => parseDeviceClients(v) !== null,
    (p) => `${p} is not a list of clients: set it to id=Display name pairs separated by commas, e.g. "cli=Command line,tv=Living-room TV"`,
  )
  DEVICE_CLIENTS?: string;

  @Integer(60, 1800, "seconds the second step of a sign-in may follow the password")
  MFA_CHALLENGE_TTL?: string;

  @Setting((v) => v.length <= 60 && !/[\u0000-\u001f\u007f:]/.test(v), (p) => `${p} must be a short name without a colon, e.g. "Example": authenticator apps show it beside the account`)
  MFA_ISSUER?: string;

  @Integer(8, 128, "characters; 8 is the floor, 128 the maximum password length")
  PASSWORD_MIN_LENGTH?: string;

  @Setting((v) => !v.includes("\0"), (p) => `${p} is not a path: set it to a writable folder, or unset it for .data`)
  DATA_DIR?: string;

  @Integer(19456, 4 * 1024 * 1024, "KiB; OWASP's minimum for argon2id is 19456")
  ARGON2_MEMORY_KIB?: string;

  @Integer(2, 100, "passes; OWASP's minimum for argon2id at 19 MiB is 2")
  ARGON2_TIME_COST?: string;

  @Integer(1, 64, "lanes of parallelism")
  ARGON2_PARALLELISM?: string;

  @Integer(1, 1_000_000, "sign-in attempts per client IP per 15 minutes")
  RATE_LIMIT_SIGN_IN_PER_IP?: string;

  @Integer(1, 99, "consecutive failed sign-ins before an account opens only through a password reset")
  RATE_LIMIT_SIGN_IN_LOCK_AFTER?: string;

  @Integer(1, 1_000_000, "second-factor attempts per client IP per 15 minutes")
  RATE_LIMIT_MFA_PER_IP?: string;

  @Integer(1, 99, "consecutive wrong second-factor codes before the account's second step is locked for a day")
  RATE_LIMIT_MFA_LOCK_AFTER?: string;

  @Integer(1, 1_000_000, "sign-ups per client IP per hour")
  RATE_LIMIT_SIGN_UP_PER_IP?: string;

  @Integer(1, 1000, "e-mails per account per hour")
  RATE_LIMIT_EMAIL_PER_ACCOUNT?: string;

  @Integer(1, 1_000_000, "e-mail-sending requests per client IP per hour")
  RATE_LIMIT_EMAIL_PER_IP?: string;

  @Integer(1, 1_000_000, "device codes issued per client IP per 15 minutes")
  RATE_LIMIT_DEVICE_CODES_PER_IP?: string;

  @Integer(1, 10_000, "live sessions one user keeps; signing in once more ends the oldest")
  SESSION_MAX_PER_USER?: string;

  @Integer(0, 7 * 86400, "seconds between retention passes; 0 runs none in this process")
  RETENTION_INTERVAL?: string;

  @Integer(10, 100_000, "rows one retention statement deletes at most")
  RETENTION_BATCH_SIZE?: string;

  @Integer(0, 20, "how many times as long as a retention batch took the pass rests after it; 0 runs batches back to back")
  RETENTION_PAUSE_RATIO?: string;

  @Integer(1, 3650, "days security-activity events are kept")
  AUTH_EVENT_RETENTION_DAYS?: string;

  @Setting(
    (v) => /^[\x21-\x7e]{32,512}$/.test(v),
    (p) => `${p} must be 32 to 512 printable characters without spaces (the bearer token Prometheus sends): generate one with "openssl rand -hex 32", or unset it to turn /api/metrics off`,
  )
  METRICS_TOKEN?: string;

  @Setting(
    (v) => ["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(v.toLowerCase()),
    (p) => `${p} must be one of fatal, error, warn, info, debug, trace or silent`,
  )
  LOG_LEVEL?: string;

  @Setting(
    (v) => /^\d+(\.\d+)?$/.test(v) && Number(v) <= 1000,
    (p) => `${p} must be a number from 0 to 1000: 1 keeps the limits, 10 allows ten times as much, 0 turns every rate limit off (load tests only)`,
  )
  RATE_LIMIT_SCALE?: string;

  @Setting((v) => /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/.test(v), (p) => `${p} is not a Stripe secret key: set it to the sk_live_… (or restricted rk_…) key from the Stripe dashboard`)
  STRIPE_SECRET_KEY?: string;

  @Setting((v) => /^whsec_[A-Za-z0-9+/=_-]+$/.test(v), (p) => `${p} is not a webhook signing secret: set it to the whsec_… secret of the webhook endpoint in Stripe`)
  STRIPE_WEBHOOK_SECRET?: string;

  @Setting((v) => /^price_[A-Za-z0-9_]+$/.test(v), (p) => `${p} is not a Stripe price id: set it to the price_… id of the Pro plan's recurring price`)
  STRIPE_PRICE_PRO?: string;

  @Setting((v) => protocolIn(v, ["http:", "https:"]), (p) => `${p} is not an http(s) URL: set it to where Stripe API calls go (a proxy or a local stand-in), or unset it`)
  STRIPE_API_URL?: string;
}

/** The variables in the order they are checked and documented. */
export const VARIABLES = [
  "DATABASE_URL",
  "AUTH_JWT_SECRET",
  "AUTH_JWT_SECRET_PREVIOUS",
  "APP_URL",
  "SMTP_URL",
  "MAIL_FROM",
  "PORT",
  "REDIS_URL",
  "TRUST_PROXY",
  "SESSION_MAX_AGE",
  "SESSION_IDLE_TIMEOUT",
  "SESSION_ROTATE_AFTER",
  "VERIFY_TOKEN_TTL",
  "RESET_TOKEN_TTL",
  "INVITE_TOKEN_TTL",
  "FRESH_AUTH_MAX_AGE",
  "DEVICE_CODE_TTL",
  "DEVICE_TOKEN_TTL",
  "DEVICE_CLIENTS",
  "MFA_CHALLENGE_TTL",
  "MFA_ISSUER",
  "PASSWORD_MIN_LENGTH",
  "DATA_DIR",
  "ARGON2_MEMORY_KIB",
  "ARGON2_TIME_COST",
  "ARGON2_PARALLELISM",
  "RATE_LIMIT_SIGN_IN_PER_IP",
  "RATE_LIMIT_SIGN_IN_LOCK_AFTER",
  "RATE_LIMIT_MFA_PER_IP",
  "RATE_LIMIT_MFA_LOCK_AFTER",
  "RATE_LIMIT_SIGN_UP_PER_IP",
  "RATE_LIMIT_EMAIL_PER_ACCOUNT",
  "RATE_LIMIT_EMAIL_PER_IP",
  "RATE_LIMIT_DEVICE_CODES_PER_IP",
  "RATE_LIMIT_SCALE",
  "SESSION_MAX_PER_USER",
  "RETENTION_INTERVAL",
  "RETENTION_BATCH_SIZE",
  "RETENTION_PAUSE_RATIO",
  "AUTH_EVENT_RETENTION_DAYS",
  "METRICS_TOKEN",
  "LOG_LEVEL",
  "MAIL_MAX_RETRY_AGE",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "STRIPE_PRICE_PRO",
  "STRIPE_API_URL",
] as const satisfies readonly (keyof Environment)[];

export type VariableName = (typeof VARIABLES)[number];

/** An optional variable: unset is fine, a set value must pass `valid`. */
function Setting(valid: (value: string, env: Environment) => boolean, message: (property: string, value: string, env: Environment) => string): PropertyDecorator {
  return ValidateBy({
    name: "setting",
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => value === undefined || valid(value as string, args!.object as Environment),
      defaultMessage: (args?: ValidationArguments) => message(args!.property, args!.value as string, args!.object as Environment),
    },
  });
}
/** A variable production cannot run without; elsewhere a development default stands in for it. */
function RequiredInProduction(
  valid: (value: string, env: Environment) => boolean,
  missing: (property: string) => string,
  invalid: (property: string, value: string, env: Environment) => string,
): PropertyDecorator {
  return ValidateBy({
    name: "requiredInProduction",
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const env = args!.object as Environment;
        return value === undefined ? !env.production : valid(value as string, env);
      },
      defaultMessage: (args?: ValidationArguments) =>
        args!.value === undefined ? missing(args!.property) : invalid(args!.property, args!.value as string, args!.object as Environment),
    },
  });
}
function Integer(min: number, max: number, what: string): PropertyDecorator {
  return Setting(
    (v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max,
    (p, v) => `${p} must be a whole number from ${min} to ${max} (${what}): got ${JSON.stringify(v.slice(0, 40))}`,
  );
}

export { appUrlProblem, bytes, parseBoolean, parseDeviceClients, splitList } from "./environment-rules";
