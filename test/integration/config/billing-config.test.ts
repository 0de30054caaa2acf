import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../../src/infrastructure/config";

const SECRET = "0123456789abcdef0123456789abcdef-current";
const STRIPE = { STRIPE_SECRET_KEY: "sk_live_abc123", STRIPE_WEBHOOK_SECRET: "whsec_abc123", STRIPE_PRICE_PRO: "price_abc123" };

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "config-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const dev = (extra: Record<string, string> = {}) => ({ NODE_ENV: "development", DATA_DIR: dataDir, ...extra });
const production = (extra: Record<string, string> = {}) => ({
  NODE_ENV: "production",
  DATA_DIR: dataDir,
  AUTH_JWT_SECRET: SECRET,
  APP_URL: "https://app.example.com",
  SMTP_URL: "smtps://mailer:pw@smtp.example.com:465",
  ...extra,
});

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("billing configuration", () => {
  it("is the dev checkout outside production and nothing in production when Stripe is not set", () => {
    expect(loadConfig(dev()).billing).toEqual({ provider: "dev" });
    expect(loadConfig(production()).billing).toEqual({ provider: "none" });
  });

  it("is Stripe with all three variables, in production as in development; STRIPE_API_URL names host, port and scheme", () => {
    expect(loadConfig(production(STRIPE)).billing).toEqual({
      provider: "stripe",
      stripe: { secretKey: "sk_live_abc123", webhookSecret: "whsec_abc123", prices: { pro: "price_abc123" }, api: null },
    });
    const local = loadConfig(dev({ ...STRIPE, STRIPE_API_URL: "http://127.0.0.1:12111" })).billing;
    expect(local).toMatchObject({ provider: "stripe", stripe: { api: { host: "127.0.0.1", port: 12111, protocol: "http" } } });
    const proxy = loadConfig(dev({ ...STRIPE, STRIPE_API_URL: "https://stripe-proxy.internal" })).billing;
    expect(proxy).toMatchObject({ stripe: { api: { host: "stripe-proxy.internal", port: 443, protocol: "https" } } });
  });

  it("stops the start on half a Stripe setup, or a malformed value, naming the variable", () => {
    const { STRIPE_WEBHOOK_SECRET: _, ...withoutWebhook } = STRIPE;
    expect(configError(production(withoutWebhook)).variable).toBe("STRIPE_WEBHOOK_SECRET");
    expect(configError(dev({ STRIPE_PRICE_PRO: "price_abc" })).variable).toBe("STRIPE_SECRET_KEY");
    expect(configError(dev({ ...STRIPE, STRIPE_SECRET_KEY: "pk_live_abc" })).variable).toBe("STRIPE_SECRET_KEY");
    expect(configError(dev({ ...STRIPE, STRIPE_PRICE_PRO: "10.00" })).variable).toBe("STRIPE_PRICE_PRO");
    expect(configError(dev({ ...STRIPE, STRIPE_API_URL: "ftp://x" })).variable).toBe("STRIPE_API_URL");
    expect(configError(dev({ STRIPE_API_URL: "http://127.0.0.1:1" })).variable).toBe("STRIPE_API_URL");
  });
});
