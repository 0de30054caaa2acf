import { newPasskeyChallenge } from "../../domain/passkey/passkey-challenge";
import type { RateLimited } from "../../domain/shared/domain-error";
import { ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import { NO_METRICS, type AuthMetrics } from "../shared/ports/metrics.port";
import type { Clock } from "../shared/ports/clock.port";
import type { RateLimitStore } from "../shared/ports/rate-limit-store.port";
import type { RequestContext } from "../shared/request-context";
import { RateLimiter } from "../shared/services/rate-limiter";
import type { PasskeyStores } from "./passkey-stores";
import type { WebAuthnCeremonies } from "./webauthn.port";

export interface StartPasskeyAuthenticationInput {
  readonly context?: RequestContext;
}

/** Each set of options stores a challenge row, so one client IP may ask only so often (the sign-in rule). */
export const passkeyOptionsKey = (ip: string) => `passkey-options:ip:${ip}`;

/**
 * Options for `navigator.credentials.get()` with no credential list (discoverable credentials, so the
 * browser may offer them in the username field): a new challenge kept server-side for one
 * authentication. Used to sign in and, signed in, to step up.
 */
export class StartPasskeyAuthentication {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly stores: PasskeyStores,
    rateLimits: RateLimitStore,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
    private readonly webAuthn: WebAuthnCeremonies,
    metrics: AuthMetrics = NO_METRICS,
  ) {
    this.limiter = new RateLimiter(rateLimits, settings.rateLimits, metrics);
  }

  async execute(input: StartPasskeyAuthenticationInput = {}): Promise<Result<Readonly<Record<string, unknown>>, RateLimited>> {
    const now = this.clock.now();
    const ip = input.context?.ip ?? null;
    const allowed = await this.limiter.consume(ip === null ? null : passkeyOptionsKey(ip), this.settings.rateLimits.signInPerIp, now);
    if (!allowed.ok) return allowed;
    const { options, challenge } = await this.webAuthn.authenticationOptions();
    await this.stores.passkeyChallenges.insert(newPasskeyChallenge(challenge, "authentication", null, now), now);
    return ok(options);
  }
}
