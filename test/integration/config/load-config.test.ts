import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_AUTH_SETTINGS } from "../../../src/application/shared/auth-settings";
import { ConfigError, loadConfig, VARIABLES } from "../../../src/infrastructure/config";

const SECRET = "0123456789abcdef0123456789abcdef-current";
const OLD_1 = "0123456789abcdef0123456789abcdef-old-one";
const OLD_2 = "0123456789abcdef0123456789abcdef-old-two";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "config-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const dev = (extra: Record<string, string> = {}) => ({ NODE_ENV: "development", DATA_DIR: dataDir, ...extra });
const production = (extra: Record<string, string | undefined> = {}) => ({
  NODE_ENV: "production",
  DATA_DIR: dataDir,
  AUTH_JWT_SECRET: SECRET,
  APP_URL: "https://app.example.com",
  SMTP_URL: "smtps://mailer:pw@smtp.example.com:465",
  ...extra,
});

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  describe("development with nothing set", () => {
    it("runs on safe defaults for every variable", () => {
      const config = loadConfig(dev());
      expect(config).toMatchObject({
        production: false,
        port: 3000,
        appUrl: "http://localhost:3000",
        databaseUrl: null,
        dataDir,
        redisUrl: null,
        trustProxy: false,
        mail: { smtpUrl: null, from: "no-reply@localhost", mailboxDir: join(dataDir, "mailbox") },
        argon2: { memoryKiB: 19456, timeCost: 2, parallelism: 1 },
      });
      expect(config.auth).toEqual(DEFAULT_AUTH_SETTINGS);
      expect(config.sessionSecret.previous).toEqual([]);
    });

    it("generates the session secret once, keeps it private in DATA_DIR/dev-secret and reuses it", () => {
      const first = loadConfig(dev());
      expect(first.sessionSecret.generated).toBe(true);
      expect(Buffer.byteLength(first.sessionSecret.current)).toBeGreaterThanOrEqual(32);
      const file = join(dataDir, "dev-secret");
      expect(readFileSync(file, "utf8").trim()).toBe(first.sessionSecret.current);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(loadConfig(dev()).sessionSecret.current).toBe(first.sessionSecret.current);

      const elsewhere = mkdtempSync(join(tmpdir(), "config-"));
      try {
        expect(loadConfig(dev({ DATA_DIR: elsewhere })).sessionSecret.current).not.toBe(first.sessionSecret.current);
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
    });

    it("creates DATA_DIR when it does not exist yet", () => {
      const nested = join(dataDir, "a", "b");
      expect(loadConfig(dev({ DATA_DIR: nested })).sessionSecret.current).toBe(readFileSync(join(nested, "dev-secret"), "utf8").trim());
    });

    it("uses a configured secret and then writes no file", () => {
      const config = loadConfig(dev({ AUTH_JWT_SECRET: SECRET }));
      expect(config.sessionSecret).toEqual({ current: SECRET, previous: [], generated: false });
      expect(existsSync(join(dataDir, "dev-secret"))).toBe(false);
    });

    it("refuses a dev-secret file that was tampered down to a short value", () => {
      writeFileSync(join(dataDir, "dev-secret"), "short\n");
      const error = configError(dev());
      expect(error.variable).toBe("AUTH_JWT_SECRET");
      expect(error.message).toMatch(/dev-secret holds a secret shorter than 32 bytes: delete the file/);
    });

    it("says so in one line when DATA_DIR cannot be written", () => {
      const blocker = join(dataDir, "file");
      writeFileSync(blocker, "");
      const error = configError(dev({ DATA_DIR: join(blocker, "data") }));
      expect(error.variable).toBe("DATA_DIR");
      expect(error.message).toMatch(/^DATA_DIR \(.+\) is not writable \(\w+\): /);
    });

    it("treats an empty or blank value as unset", () => {
      const config = loadConfig(dev({ PORT: "", APP_URL: "  ", SMTP_URL: "", MAIL_FROM: "", AUTH_JWT_SECRET: "" }));
      expect(config.port).toBe(3000);
      expect(config.appUrl).toBe("http://localhost:3000");
      expect(config.sessionSecret.generated).toBe(true);
    });

    it("points e-mail links at the development server's own port when APP_URL is unset", () => {
      expect(loadConfig(dev({ PORT: "4000" })).appUrl).toBe("http://localhost:4000");
      expect(loadConfig(dev({ PORT: "4000", APP_URL: "http://127.0.0.1:5000" })).appUrl).toBe("http://127.0.0.1:5000");
    });
  });

  it("maps every variable onto the typed configuration", () => {
    const config = loadConfig(
      production({
        DATABASE_URL: "postgres://app:pw@db.internal:5432/auth",
        AUTH_JWT_SECRET_PREVIOUS: ` ${OLD_1} , ${OLD_2},`,
        APP_URL: "https://App.Example.com/",
        MAIL_FROM: "Acme <no-reply@acme.example>",
        PORT: "8080",
        REDIS_URL: "redis://cache.internal:6379",
        TRUST_PROXY: "true",
        SESSION_MAX_AGE: "1209600",
        SESSION_IDLE_TIMEOUT: "86400",
        SESSION_ROTATE_AFTER: "3600",
        VERIFY_TOKEN_TTL: "172800",
        RESET_TOKEN_TTL: "900",
        INVITE_TOKEN_TTL: "86400",
        FRESH_AUTH_MAX_AGE: "300",
        MFA_CHALLENGE_TTL: "120",
        MFA_ISSUER: "Acme",
        DEVICE_CODE_TTL: "300",
        DEVICE_TOKEN_TTL: "86400",
        DEVICE_CLIENTS: "cli=Acme CLI, tv = Living-room TV",
        PASSWORD_MIN_LENGTH: "15",
        ARGON2_MEMORY_KIB: "65536",
        ARGON2_TIME_COST: "3",
        ARGON2_PARALLELISM: "2",
        RATE_LIMIT_SIGN_IN_PER_IP: "60",
        RATE_LIMIT_SIGN_IN_LOCK_AFTER: "20",
        RATE_LIMIT_MFA_PER_IP: "40",
        RATE_LIMIT_MFA_LOCK_AFTER: "10",
        RATE_LIMIT_SIGN_UP_PER_IP: "10",
        RATE_LIMIT_EMAIL_PER_ACCOUNT: "3",
        RATE_LIMIT_EMAIL_PER_IP: "15",
        RATE_LIMIT_DEVICE_CODES_PER_IP: "12",
        SESSION_MAX_PER_USER: "20",
        RETENTION_INTERVAL: "0",
        RETENTION_BATCH_SIZE: "5000",
        RETENTION_PAUSE_RATIO: "3",
        AUTH_EVENT_RETENTION_DAYS: "400",
        METRICS_TOKEN: "prometheus-scrapes-with-this-0123456789",
        LOG_LEVEL: "WARN",
        MAIL_MAX_RETRY_AGE: "86400",
      }),
    );
    expect(config).toEqual({
      production: true,
      port: 8080,
      appUrl: "https://app.example.com",
      databaseUrl: "postgres://app:pw@db.internal:5432/auth",
      dataDir,
      redisUrl: "redis://cache.internal:6379",
      trustProxy: true,
      sessionSecret: { current: SECRET, previous: [OLD_1, OLD_2], generated: false },
      mail: { smtpUrl: "smtps://mailer:pw@smtp.example.com:465", from: "Acme <no-reply@acme.example>", mailboxDir: join(dataDir, "mailbox"), maxRetryAgeSeconds: 86400 },
      metricsToken: "prometheus-scrapes-with-this-0123456789",
      logLevel: "warn",
      argon2: { memoryKiB: 65536, timeCost: 3, parallelism: 2 },
      auth: {
        session: { ...DEFAULT_AUTH_SETTINGS.session, maxAgeSeconds: 1209600, idleTimeoutSeconds: 86400, rotateAfterSeconds: 3600, maxActivePerUser: 20 },
        password: { minLength: 15, maxLength: 128 },
        verifyTokenTtlSeconds: 172800,
        resetTokenTtlSeconds: 900,
        inviteTokenTtlSeconds: 86400,
        freshAuthMaxAgeSeconds: 300,
        mfa: { challengeTtlSeconds: 120, issuer: "Acme" },
        device: {
          ...DEFAULT_AUTH_SETTINGS.device,
          codeTtlSeconds: 300,
          tokenTtlSeconds: 86400,
          issuePerIp: { limit: 12, windowSeconds: 900 },
          clients: [
            { id: "cli", name: "Acme CLI" },
            { id: "tv", name: "Living-room TV" },
          ],
        },
        rateLimits: {
          enabled: true,
          signInPerIp: { limit: 60, windowSeconds: 900 },
          signInFailuresPerAccount: { ...DEFAULT_AUTH_SETTINGS.rateLimits.signInFailuresPerAccount, lockAfter: 20 },
          signUpPerIp: { limit: 10, windowSeconds: 3600 },
          emailPerAccount: { limit: 3, windowSeconds: 3600 },
          emailPerIp: { limit: 15, windowSeconds: 3600 },
          invitationsPerUser: DEFAULT_AUTH_SETTINGS.rateLimits.invitationsPerUser,
          mfaPerIp: { limit: 40, windowSeconds: 900 },
          mfaFailuresPerUser: { ...DEFAULT_AUTH_SETTINGS.rateLimits.mfaFailuresPerUser, lockAfter: 10 },
        },
        retention: { intervalSeconds: 0, batchSize: 5000, pauseRatio: 3, authEventRetentionDays: 400 },
      },
      // Production without Stripe: billing routes answer 503 (see billing-config.test.ts).
      billing: { provider: "none" },
    });
  });

  it("keeps the second factor's lock as set whatever RATE_LIMIT_SCALE says, and scales its per-IP limit", () => {
    const { rateLimits } = loadConfig(dev({ RATE_LIMIT_SCALE: "100" })).auth;
    expect(rateLimits.mfaFailuresPerUser).toEqual(DEFAULT_AUTH_SETTINGS.rateLimits.mfaFailuresPerUser);
    expect(rateLimits.mfaPerIp.limit).toBe(DEFAULT_AUTH_SETTINGS.rateLimits.mfaPerIp.limit * 100);
    expect(loadConfig(dev({ RATE_LIMIT_MFA_LOCK_AFTER: "3" })).auth.rateLimits.mfaFailuresPerUser).toMatchObject({ lockAfter: 3, freeFailures: 2 });
  });

  describe("rate limits", () => {
    it("RATE_LIMIT_SCALE multiplies every count and keeps windows and delays", () => {
      const { rateLimits } = loadConfig(dev({ RATE_LIMIT_SCALE: "10", RATE_LIMIT_EMAIL_PER_ACCOUNT: "2" })).auth;
      const d = DEFAULT_AUTH_SETTINGS.rateLimits;
      expect(rateLimits.enabled).toBe(true);
      expect(rateLimits.signInPerIp).toEqual({ limit: d.signInPerIp.limit * 10, windowSeconds: d.signInPerIp.windowSeconds });
      expect(rateLimits.signUpPerIp.limit).toBe(d.signUpPerIp.limit * 10);
      expect(rateLimits.emailPerAccount.limit).toBe(20);
      expect(rateLimits.emailPerIp.limit).toBe(d.emailPerIp.limit * 10);
      expect(rateLimits.invitationsPerUser).toEqual({ limit: d.invitationsPerUser.limit * 10, windowSeconds: d.invitationsPerUser.windowSeconds });
      expect(rateLimits.signInFailuresPerAccount).toEqual({
        ...d.signInFailuresPerAccount,
        lockAfter: 99,
        freeFailures: d.signInFailuresPerAccount.freeFailures * 10,
      });
    });

    it("never lets the account lock pass 99 consecutive failures, whatever the scale", () => {
      const { rateLimits } = loadConfig(dev({ RATE_LIMIT_SCALE: "1000", RATE_LIMIT_SIGN_IN_LOCK_AFTER: "99" })).auth;
      expect(rateLimits.signInFailuresPerAccount.lockAfter).toBe(99);
      expect(rateLimits.signInFailuresPerAccount.freeFailures).toBeLessThan(99);
    });

    it("RATE_LIMIT_SCALE scales the device flow's user-code throttles too", () => {
      const { device } = loadConfig(dev({ RATE_LIMIT_SCALE: "10" })).auth;
      expect(device.perIp).toEqual({ ...DEFAULT_AUTH_SETTINGS.device.perIp, limit: DEFAULT_AUTH_SETTINGS.device.perIp.limit * 10 });
      expect(device.perCode.limit).toBe(DEFAULT_AUTH_SETTINGS.device.perCode.limit * 10);
    });

    it("RATE_LIMIT_SCALE=0 turns every limit off (load tests)", () => {
      expect(loadConfig(dev({ RATE_LIMIT_SCALE: "0" })).auth.rateLimits.enabled).toBe(false);
    });

    it("a small scale never drops a limit to zero, and free failures stay below the lock", () => {
      const { rateLimits } = loadConfig(dev({ RATE_LIMIT_SCALE: "0.01", RATE_LIMIT_SIGN_IN_LOCK_AFTER: "3" })).auth;
      expect(rateLimits.enabled).toBe(true);
      expect(rateLimits.emailPerAccount.limit).toBe(1);
      expect(rateLimits.signInFailuresPerAccount.lockAfter).toBe(1);
      expect(rateLimits.signInFailuresPerAccount.freeFailures).toBe(0);
      const locked = loadConfig(dev({ RATE_LIMIT_SIGN_IN_LOCK_AFTER: "3" })).auth.rateLimits.signInFailuresPerAccount;
      expect(locked).toMatchObject({ lockAfter: 3, freeFailures: 2 });
    });
  });

  it.each([
    ["true", true],
    ["1", true],
    ["YES", true],
    ["false", false],
    ["0", false],
    ["off", false],
  ])("TRUST_PROXY=%s reads as %s", (value, expected) => {
    expect(loadConfig(dev({ TRUST_PROXY: value })).trustProxy).toBe(expected);
  });

  describe("production", () => {
    it("starts with the three required values and generates nothing", () => {
      const config = loadConfig(production());
      expect(config.production).toBe(true);
      expect(config.sessionSecret.generated).toBe(false);
      expect(existsSync(join(dataDir, "dev-secret"))).toBe(false);
    });

    it("refuses to start without AUTH_JWT_SECRET, even when a dev secret exists", () => {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, "dev-secret"), `${"x".repeat(64)}\n`);
      const error = configError(production({ AUTH_JWT_SECRET: undefined }));
      expect(error.variable).toBe("AUTH_JWT_SECRET");
      expect(error.message).toBe('AUTH_JWT_SECRET is missing: set it to at least 32 random bytes, e.g. "openssl rand -base64 48"');
    });

    it("refuses to start without APP_URL", () => {
      expect(configError(production({ APP_URL: undefined })).message).toBe(
        "APP_URL is missing: set it to the public origin of the site, e.g. https://app.example.com",
      );
    });

    it("refuses to start without SMTP_URL", () => {
      expect(configError(production({ SMTP_URL: undefined })).message).toMatch(/^SMTP_URL is missing: .*smtp:\/\//);
    });

    it("wants https for APP_URL, except on this machine", () => {
      expect(configError(production({ APP_URL: "http://app.example.com" })).message).toMatch(/^APP_URL must use https:\/\/ in production: /);
      expect(loadConfig(production({ APP_URL: "http://localhost:4123" })).appUrl).toBe("http://localhost:4123");
      expect(loadConfig(production({ APP_URL: "http://127.0.0.1:4123" })).appUrl).toBe("http://127.0.0.1:4123");
      expect(loadConfig(dev({ APP_URL: "http://dev.internal:3000" })).appUrl).toBe("http://dev.internal:3000");
    });

    it("does not read NODE_ENV loosely: only 'production' is production", () => {
      expect(loadConfig({ NODE_ENV: "Production", DATA_DIR: dataDir }).production).toBe(false);
      expect(loadConfig({ DATA_DIR: dataDir }).production).toBe(false);
    });
  });

  describe("a bad value stops the start with one line naming the variable and the fix", () => {
    const cases: [string, string, RegExp][] = [
      ["DATABASE_URL", "mysql://root:hunter2@db/app", /^DATABASE_URL is not a PostgreSQL URL: set it to postgres:\/\//],
      ["DATABASE_URL", "not a url", /^DATABASE_URL is not a PostgreSQL URL/],
      ["AUTH_JWT_SECRET", "hunter2-too-short", /^AUTH_JWT_SECRET is too short \(17 bytes\): set it to at least 32 random bytes/],
      ["AUTH_JWT_SECRET_PREVIOUS", `${OLD_1},hunter2`, /^AUTH_JWT_SECRET_PREVIOUS holds a secret shorter than 32 bytes: /],
      ["APP_URL", "app.example.com", /^APP_URL is not a URL: set it to the public origin/],
      ["APP_URL", "ftp://app.example.com", /^APP_URL must start with https:\/\/ or http:\/\//],
      ["APP_URL", "https://app.example.com/auth", /^APP_URL must be an origin only/],
      ["APP_URL", "https://app.example.com/?x=1", /^APP_URL must be an origin only/],
      ["APP_URL", "https://admin:hunter2@app.example.com", /^APP_URL must not contain a user or password/],
      ["SMTP_URL", "http://mailer:hunter2@smtp.example.com", /^SMTP_URL is not an SMTP URL: set it to smtp:\/\//],
      ["MAIL_FROM", "nobody", /^MAIL_FROM is not an e-mail address: /],
      ["MAIL_FROM", "a@b.co\r\nBcc: victim@example.com", /^MAIL_FROM is not an e-mail address: /],
      ["PORT", "http", /^PORT must be a whole number from 1 to 65535 \(the TCP port to listen on\): got "http"$/],
      ["PORT", "70000", /^PORT must be a whole number from 1 to 65535/],
      ["PORT", "3000.5", /^PORT must be a whole number/],
      ["REDIS_URL", "localhost:6379", /^REDIS_URL is not a Redis URL: set it to redis:\/\//],
      ["TRUST_PROXY", "maybe", /^TRUST_PROXY must be true or false: /],
      ["SESSION_MAX_AGE", "30d", /^SESSION_MAX_AGE must be a whole number from 60 to 34560000 \(seconds; /],
      ["SESSION_MAX_AGE", "0", /^SESSION_MAX_AGE must be a whole number/],
      ["SESSION_IDLE_TIMEOUT", "-5", /^SESSION_IDLE_TIMEOUT must be a whole number/],
      ["SESSION_ROTATE_AFTER", "10", /^SESSION_ROTATE_AFTER must be a whole number from 60/],
      ["VERIFY_TOKEN_TTL", "1e5", /^VERIFY_TOKEN_TTL must be a whole number/],
      ["RESET_TOKEN_TTL", "604800", /^RESET_TOKEN_TTL must be a whole number from 60 to 86400/],
      ["INVITE_TOKEN_TTL", "59", /^INVITE_TOKEN_TTL must be a whole number from 60 to 2592000/],
      ["FRESH_AUTH_MAX_AGE", "29", /^FRESH_AUTH_MAX_AGE must be a whole number from 30 to 86400/],
      ["DEVICE_CODE_TTL", "86400", /^DEVICE_CODE_TTL must be a whole number from 60 to 1800/],
      ["DEVICE_TOKEN_TTL", "10", /^DEVICE_TOKEN_TTL must be a whole number from 300/],
      ["DEVICE_CLIENTS", "cli", /^DEVICE_CLIENTS is not a list of clients: set it to id=Display name pairs/],
      ["DEVICE_CLIENTS", "cli=A,cli=B", /^DEVICE_CLIENTS is not a list of clients/],
      ["PASSWORD_MIN_LENGTH", "6", /^PASSWORD_MIN_LENGTH must be a whole number from 8 to 128/],
      ["ARGON2_MEMORY_KIB", "4096", /^ARGON2_MEMORY_KIB must be a whole number from 19456/],
      ["ARGON2_TIME_COST", "1", /^ARGON2_TIME_COST must be a whole number from 2/],
      ["ARGON2_PARALLELISM", "0", /^ARGON2_PARALLELISM must be a whole number from 1/],
      ["RATE_LIMIT_SIGN_IN_PER_IP", "0", /^RATE_LIMIT_SIGN_IN_PER_IP must be a whole number from 1/],
      ["RATE_LIMIT_SIGN_IN_LOCK_AFTER", "100", /^RATE_LIMIT_SIGN_IN_LOCK_AFTER must be a whole number from 1 to 99/],
      ["RATE_LIMIT_MFA_LOCK_AFTER", "100", /^RATE_LIMIT_MFA_LOCK_AFTER must be a whole number from 1 to 99/],
      ["RATE_LIMIT_MFA_PER_IP", "0", /^RATE_LIMIT_MFA_PER_IP must be a whole number from 1 to 1000000/],
      ["MFA_CHALLENGE_TTL", "59", /^MFA_CHALLENGE_TTL must be a whole number from 60 to 1800/],
      ["MFA_ISSUER", "Acme:Evil", /^MFA_ISSUER must be a short name without a colon/],
      ["RATE_LIMIT_SIGN_UP_PER_IP", "lots", /^RATE_LIMIT_SIGN_UP_PER_IP must be a whole number/],
      ["RATE_LIMIT_EMAIL_PER_ACCOUNT", "5000", /^RATE_LIMIT_EMAIL_PER_ACCOUNT must be a whole number from 1 to 1000/],
      ["RATE_LIMIT_EMAIL_PER_IP", "-1", /^RATE_LIMIT_EMAIL_PER_IP must be a whole number/],
      ["RATE_LIMIT_DEVICE_CODES_PER_IP", "many", /^RATE_LIMIT_DEVICE_CODES_PER_IP must be a whole number/],
      ["RATE_LIMIT_SCALE", "-1", /^RATE_LIMIT_SCALE must be a number from 0 to 1000: .*0 turns every rate limit off/],
      ["RATE_LIMIT_SCALE", "off", /^RATE_LIMIT_SCALE must be a number/],
      ["SESSION_MAX_PER_USER", "0", /^SESSION_MAX_PER_USER must be a whole number from 1 to 10000 \(live sessions one user keeps/],
      ["RETENTION_INTERVAL", "hourly", /^RETENTION_INTERVAL must be a whole number from 0 to 604800/],
      ["RETENTION_BATCH_SIZE", "1", /^RETENTION_BATCH_SIZE must be a whole number from 10 to 100000/],
      ["RETENTION_PAUSE_RATIO", "0.5", /^RETENTION_PAUSE_RATIO must be a whole number from 0 to 20/],
      ["AUTH_EVENT_RETENTION_DAYS", "0", /^AUTH_EVENT_RETENTION_DAYS must be a whole number from 1 to 3650/],
      ["METRICS_TOKEN", "short", /^METRICS_TOKEN must be 32 to 512 printable characters without spaces/],
      ["METRICS_TOKEN", "a token with spaces in it, long enough though", /^METRICS_TOKEN must be 32 to 512/],
      ["LOG_LEVEL", "verbose", /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace or silent/],
      ["MAIL_MAX_RETRY_AGE", "60", /^MAIL_MAX_RETRY_AGE must be a whole number from 3600 to 2592000/],
      ["STRIPE_SECRET_KEY", "pk_live_123", /^STRIPE_SECRET_KEY is not a Stripe secret key: set it to the sk_live_/],
      ["STRIPE_WEBHOOK_SECRET", "secret", /^STRIPE_WEBHOOK_SECRET is not a webhook signing secret: set it to the whsec_/],
      ["STRIPE_PRICE_PRO", "10 USD", /^STRIPE_PRICE_PRO is not a Stripe price id: set it to the price_/],
      ["STRIPE_API_URL", "ftp://stripe.example", /^STRIPE_API_URL is not an http\(s\) URL/],
    ];

    it.each(cases)("%s=%j", (variable, value, expected) => {
      const error = configError(dev({ [variable]: value }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.variable).toBe(variable);
      expect(error.message).toMatch(expected);
      expect(error.message).not.toMatch(/[\r\n]/);
      // Secrets and credentials in URLs are never echoed.
      expect(error.message).not.toContain("hunter2");
    });

    it("covers every documented variable", () => {
      const tested = new Set(cases.map(([variable]) => variable));
      const untested = VARIABLES.filter((v) => !tested.has(v) && v !== "DATA_DIR");
      expect(untested).toEqual([]);
    });

    it("names the first bad variable in documented order when several are wrong", () => {
      const error = configError(dev({ RATE_LIMIT_SCALE: "x", PORT: "x", APP_URL: "x" }));
      expect(error.variable).toBe("APP_URL");
    });
  });
});
