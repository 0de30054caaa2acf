/**
 * The composition root boots against a fresh, migrated PostgreSQL database and every token resolves.
 * (The embedded PGlite path cannot load inside Jest's module sandbox; the HTTP and browser suites and
 * `npm run dev` cover it.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../../src/infrastructure/config";
import { boot, TOKENS, type Auth, type TokenName } from "../../../src/infrastructure/di";
import { createTestDatabase, describeWithPostgres } from "../../support/next-server";

const USE_CASES: TokenName[] = [
  "SignUp",
  "SignIn",
  "SignOut",
  "AuthenticateSession",
  "ListSessions",
  "RevokeSession",
  "RevokeAllSessions",
  "VerifyEmail",
  "ResendVerification",
  "RequestPasswordReset",
  "ResetPassword",
  "ChangePassword",
  "DeleteAccount",
  "CreateApiKey",
  "ListApiKeys",
  "RevokeApiKey",
  "ListAuthEvents",
  "StartPasskeyRegistration",
  "RegisterPasskey",
  "ListPasskeys",
  "RemovePasskey",
  "StartPasskeyAuthentication",
  "SignInWithPasskey",
  "ReauthenticateWithPasskey",
];

const quiet = { info: () => undefined, warn: () => undefined, error: console.error };

describeWithPostgres("composition root", () => {
  let auth: Auth;
  let dropDatabase: (() => Promise<void>) | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), "di-test-"));

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      AUTH_JWT_SECRET: "a-test-secret-that-is-long-enough-0123456789",
      APP_URL: "http://127.0.0.1:3999",
    });
    auth = await boot({ config, dispatchMail: false, log: quiet });
  }, 120_000);

  afterAll(async () => {
    await auth?.shutdown();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(Object.keys(TOKENS) as TokenName[])("resolves %s", (name) => {
    const value = auth.resolve(TOKENS[name] as symbol as never);
    // DevMailbox included: without SMTP_URL mail goes to the development mailbox.
    expect(value).toBeDefined();
    expect(value).not.toBeNull();
  });

  it.each(USE_CASES)("%s is a use case with execute(), one instance per process", (name) => {
    const value = auth.resolve(TOKENS[name] as symbol as never) as { execute?: unknown };
    expect(value.constructor.name).toBe(name);
    expect(typeof value.execute).toBe("function");
    expect(auth.resolve(TOKENS[name] as symbol as never)).toBe(value);
  });

  it("the resolved use cases work end to end on the booted stores", async () => {
    const signUp = auth.resolve(TOKENS.SignUp);
    const result = await signUp.execute({
      email: `di-${Date.now()}@example.com`,
      password: "a sufficiently long passphrase",
      context: { ip: "127.0.0.1", userAgent: "jest" },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const who = await auth.resolve(TOKENS.AuthenticateSession).execute({ token: result.value.token });
    expect(who.ok && who.value.user.id).toBe(result.value.user.id);
  });

  it("gives the use cases the same bounded hasher whose load the edge reads", () => {
    const bounded = auth.resolve(TOKENS.BoundedPasswordHasher);
    expect(auth.resolve(TOKENS.PasswordHasher)).toBe(bounded);
    expect(bounded.refusal()).toBeNull();
  });

  it("uses the configuration it was booted with", () => {
    expect(auth.resolve(TOKENS.Config).appUrl).toBe("http://127.0.0.1:3999");
    expect(auth.resolve(TOKENS.AuthSettings)).toBe(auth.config.auth);
  });
});
