import { SessionPolicy } from "../../domain/session/session-policy";
import type { Session } from "../../domain/session/session";
import type { EmailTaken, InvalidEmail, RateLimited, WeakPassword } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import { Email } from "../../domain/identity/email";
import { Password, type CommonPasswords } from "../../domain/identity/password";
import { User } from "../../domain/identity/user";
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
import { EmailTokens } from "./email-tokens";
import { rateLimitKeys, RateLimiter } from "../shared/services/rate-limiter";
import { SessionIssuer } from "../shared/services/session-issuer";

export interface SignUpInput {
  readonly email: string;
  readonly password: string;
  readonly context: RequestContext;
  /** The session cookie the client already holds, if any: it is ended, never adopted. */
  readonly currentToken?: string | null;
}

export interface SignUpOutput {
  readonly user: User;
  readonly session: Session;
  /** The new session cookie value. */
  readonly token: string;
}

export type SignUpError = InvalidEmail | WeakPassword | EmailTaken | RateLimited;

/** Creates an account, signs it in and mails a verification link, all in one unit of work. */
export class SignUp {
  private readonly limiter: RateLimiter;
  private readonly issuer: SessionIssuer;
  private readonly emailTokens: EmailTokens;
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: IdentityStores,
    private readonly uow: UnitOfWork<IdentityStores>,
    private readonly hasher: PasswordHasher,
    sessionTokens: SessionTokens,
    private readonly randomTokens: RandomTokens,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    private readonly commonPasswords: CommonPasswords,
    private readonly settings: AuthSettings,
    private readonly metrics: AuthMetrics = NO_METRICS,
  ) {
    this.limiter = new RateLimiter(rateLimits, settings.rateLimits, metrics);
    this.issuer = new SessionIssuer(sessionTokens, randomTokens, new SessionPolicy(settings.session));
    this.emailTokens = new EmailTokens(randomTokens);
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: SignUpInput): Promise<Result<SignUpOutput, SignUpError>> {
    const result = await this.attempt(input);
    this.metrics.attempt("sign-up", result.ok ? "success" : result.error.code);
    return result;
  }

  private async attempt(input: SignUpInput): Promise<Result<SignUpOutput, SignUpError>> {
    const email = Email.create(input.email);
    if (!email.ok) return email;
    const password = Password.create(input.password, this.settings.password, this.commonPasswords, email.value);
    if (!password.ok) return password;

    const now = this.clock.now();
    const { ip } = input.context;
    const limits = this.settings.rateLimits;
    const perIp = await this.limiter.consume(ip === null ? null : rateLimitKeys.signUpIp(ip), limits.signUpPerIp, now);
    if (!perIp.ok) return perIp;
    const mailPerIp = await this.limiter.consume(ip === null ? null : rateLimitKeys.emailIp(ip), limits.emailPerIp, now);
    if (!mailPerIp.ok) return mailPerIp;

    // Hashing is the slow part: done before the transaction so it holds no locks meanwhile.
    const hash = await this.hasher.hash(password.value);
    const user = User.create({ id: this.randomTokens.newId(), email: email.value, passwordHash: hash }, now);

    const created = await this.uow.run(async (stores) => {
      const inserted = await stores.users.insert(user);
      if (!inserted.ok) return inserted;
      await this.emailTokens.issue(
        stores,
        { userId: user.id, email: user.email, purpose: "verify-email", ttlSeconds: this.settings.verifyTokenTtlSeconds },
        now,
      );
      const session = await this.issuer.open(stores.sessions, user.id, input.context, now);
      await this.events.record(stores.events, "sign-up", user.id, input.context);
      return ok(session);
    });
    if (!created.ok) return fail(created.error);

    // Counted towards the per-account mail limit, so resends right after sign-up stay bounded.
    await this.limiter.consume(rateLimitKeys.emailAccount(user.email), limits.emailPerAccount, now);
    await this.issuer.endPresented(this.stores.sessions, input.currentToken, now);
    const token = await this.issuer.tokenFor(created.value, now);
    return ok({ user, session: created.value, token });
  }
}
