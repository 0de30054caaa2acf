import type { Session } from "../../domain/session/session";
import { SessionPolicy } from "../../domain/session/session-policy";
import { InvalidCredentials, InvalidInput, type AccountLocked, type RateLimited } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import { Email } from "../../domain/identity/email";
import { Password, type CommonPasswords } from "../../domain/identity/password";
import type { User } from "../../domain/identity/user";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { PasswordHasher } from "../shared/ports/password-hasher.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { SessionTokens } from "../shared/ports/session-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { IdentityStores } from "./identity-stores";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { SessionIssuer } from "../shared/services/session-issuer";
import { SignInThrottle } from "../shared/services/sign-in-throttle";
import { secondFactorMethods } from "../shared/services/second-factor-check";
import { SecondFactorRequired } from "../../domain/mfa/mfa-errors";
import { VerificationToken } from "../../domain/identity/verification-token";

export interface SignInInput {
  readonly email: string;
  readonly password: string;
  readonly context: RequestContext;
  /** The session cookie the client already holds, if any: it is ended, never adopted. */
  readonly currentToken?: string | null;
}

export interface SignInOutput {
  readonly user: User;
  readonly session: Session;
  /** The new session cookie value. */
  readonly token: string;
}

/** `SecondFactorRequired`: the password was right, the second step is due (see the mfa capability). */
export type SignInError = InvalidInput | InvalidCredentials | RateLimited | AccountLocked | SecondFactorRequired;

/** Any string passes: an upgrade re-hashes the password the user already has, whatever today's rules. */
const NO_BLOCKLIST: CommonPasswords = { contains: () => false };

/**
 * Proves who the user is and opens a new session. An unknown e-mail and a wrong password are
 * indistinguishable: same error, and a dummy verify so both take as long.
 */
export class SignIn {
  private readonly throttle: SignInThrottle;
  private readonly issuer: SessionIssuer;
  private readonly events: AuthEvents;
  private readonly randomTokens: RandomTokens;

  constructor(
    private readonly stores: IdentityStores,
    private readonly uow: UnitOfWork<IdentityStores>,
    private readonly hasher: PasswordHasher,
    sessionTokens: SessionTokens,
    randomTokens: RandomTokens,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
    private readonly metrics: AuthMetrics = NO_METRICS,
  ) {
    this.randomTokens = randomTokens;
    this.throttle = new SignInThrottle(rateLimits, settings.rateLimits, metrics);
    this.issuer = new SessionIssuer(sessionTokens, randomTokens, new SessionPolicy(settings.session));
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: SignInInput): Promise<Result<SignInOutput, SignInError>> {
    const result = await this.attempt(input);
    this.metrics.attempt("sign-in", result.ok ? "success" : result.error.code);
    return result;
  }

  private async attempt(input: SignInInput): Promise<Result<SignInOutput, SignInError>> {
    const email = Email.create(input.email);
    if (!email.ok) return fail(new InvalidInput(email.error.message, { email: email.error.message }));
    const raw = typeof input.password === "string" ? input.password : "";
    // Refused before any hashing: an oversized password must not buy an attacker CPU time.
    if (!Password.isWithinMaximum(raw, this.settings.password)) {
      const message = `Use at most ${this.settings.password.maxLength} characters.`;
      return fail(new InvalidInput(message, { password: message }));
    }
    if (!Password.isWellFormed(raw)) {
      const message = "The password contains characters that are not valid text.";
      return fail(new InvalidInput(message, { password: message }));
    }

    const now = this.clock.now();
    const user = await this.stores.users.findByEmail(email.value);
    const userId = user?.id ?? null;
    const allowed = await this.throttle.check(email.value.value, input.context.ip, now);
    if (!allowed.ok) {
      await this.events.record(this.stores.events, "sign-in.throttled", userId, input.context, { reason: allowed.error.code });
      return allowed;
    }

    const plain = Password.normalise(raw);
    const verified = user ? await this.hasher.verify(user.passwordHash, plain) : (await this.hasher.verifyDummy(plain), false);
    if (!user || !verified) {
      await this.throttle.recordFailure(email.value.value, now);
      await this.events.record(this.stores.events, "sign-in.failed", userId, input.context, {
        reason: user ? "wrong-password" : "unknown-email",
      });
      return fail(new InvalidCredentials());
    }

    await this.throttle.clearAfterSuccess(email.value.value, allowed.value);
    const upgrade = this.hasher.needsRehash(user.passwordHash) ? await this.rehash(raw) : null;
    const methods = await secondFactorMethods(this.stores, user.id);
    if (methods.length > 0) return this.secondStepDue(user, upgrade, methods, input.context, now);
    const session = await this.uow.run(async (stores) => {
      if (upgrade) {
        user.upgradePasswordHash(upgrade);
        await stores.users.save(user);
      }
      await this.issuer.endPresented(stores.sessions, input.currentToken, now);
      const opened = await this.issuer.open(stores.sessions, user.id, input.context, now);
      await this.events.record(stores.events, "sign-in.succeeded", user.id, input.context);
      return opened;
    });
    const token = await this.issuer.tokenFor(session, now);
    return ok({ user, session, token });
  }

  /**
   * No session yet: a one-time challenge, bound to this user and address and short-lived, that the
   * second step must present with a code (only its hash is stored; the secret goes to a cookie).
   */
  private async secondStepDue(
    user: User,
    upgrade: Awaited<ReturnType<SignIn["rehash"]>>,
    methods: SecondFactorRequired["methods"],
    context: RequestContext,
    now: Date,
  ): Promise<Result<never, SecondFactorRequired>> {
    const secret = this.randomTokens.newSecret();
    const challenge = VerificationToken.create(
      {
        id: this.randomTokens.newId(),
        userId: user.id,
        purpose: "sign-in-challenge",
        tokenHash: this.randomTokens.hash(secret),
        email: user.email,
        ttlSeconds: this.settings.mfa.challengeTtlSeconds,
      },
      now,
    );
    await this.uow.run(async (stores) => {
      if (upgrade) {
        user.upgradePasswordHash(upgrade);
        await stores.users.save(user);
      }
      await stores.signInChallenges.insert(challenge);
      await this.events.record(stores.events, "sign-in.mfa-required", user.id, context);
    });
    return fail(new SecondFactorRequired(secret, methods, challenge.expiresAt));
  }

  private async rehash(raw: string) {
    const same = Password.create(raw, { minLength: 0, maxLength: this.settings.password.maxLength }, NO_BLOCKLIST);
    // Unreachable for a password that just verified within the maximum; kept total for the type.
    return same.ok ? this.hasher.hash(same.value) : null;
  }
}
