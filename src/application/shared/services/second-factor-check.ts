import { InvalidSecondFactorCode, SecondFactorNotEnabled, type SecondFactorMethod } from "../../../domain/mfa/mfa-errors";
import { normaliseRecoveryCode, recoveryCodeLookup } from "../../../domain/mfa/recovery-code";
import { totpCode } from "../../../domain/mfa/totp-factor";
import type { AccountLocked, RateLimited } from "../../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../../domain/shared/result";
import type { AuthSettings } from "../auth-settings";
import type { AuthMetrics } from "../ports/metrics.port";
import type { PasswordHasher } from "../ports/password-hasher.port";
import type { RateLimitStore } from "../ports/rate-limit-store.port";
import type { SecondFactorCodes, SecondFactorCredentials } from "../ports/second-factor.port";
import type { RequestContext } from "../request-context";
import { FailureThrottle } from "./failure-throttle";

/** What the user typed: a code from the app, or one of their recovery codes. */
export type SecondFactorProof = { readonly code: string } | { readonly recoveryCode: string };

/** A proof that matched, still to be spent (in the unit of work of what it opens). */
export type MatchedProof =
  | { readonly method: "totp"; readonly userId: string; readonly step: number }
  | { readonly method: "recovery-code"; readonly userId: string; readonly codeId: string };

export type SecondFactorError = InvalidSecondFactorCode | SecondFactorNotEnabled | RateLimited | AccountLocked;

export const secondFactorKeys = {
  ip: (ip: string) => `mfa:ip:${ip}`,
  user: (userId: string) => `mfa:user:${userId}`,
};

/** The methods a user can complete a sign-in with; empty when no second factor is on. */
export async function secondFactorMethods(stores: { secondFactors: SecondFactorCredentials }, userId: string): Promise<SecondFactorMethod[]> {
  const totp = await stores.secondFactors.findTotp(userId);
  return totp?.isEnabled ? ["totp", "recovery-code"] : [];
}

/**
 * Checks a second-factor proof for a user, in two halves: `match` (throttled; the library and the
 * password hash run here, outside any transaction) and `spend` (the compare-and-set that makes the
 * code single use, inside the caller's unit of work, so a rolled-back step leaves the code unspent).
 * A code is accepted for a time step after the last accepted one only, so a code works once, also
 * when two requests bring it at the same moment.
 */
export class SecondFactorCheck {
  private readonly throttle: FailureThrottle;

  constructor(
    private readonly codes: SecondFactorCodes,
    private readonly hasher: PasswordHasher,
    rateLimits: RateLimitStore,
    settings: AuthSettings,
    metrics: AuthMetrics,
  ) {
    this.throttle = new FailureThrottle(rateLimits, settings.rateLimits, {
      perIp: settings.rateLimits.mfaPerIp,
      failures: settings.rateLimits.mfaFailuresPerUser,
      ipKey: secondFactorKeys.ip,
      subjectKey: secondFactorKeys.user,
    }, metrics);
  }

  async match(
    stores: { secondFactors: SecondFactorCredentials },
    userId: string,
    proof: SecondFactorProof,
    context: RequestContext | undefined,
    now: Date,
  ): Promise<Result<MatchedProof, SecondFactorError>> {
    const field = "recoveryCode" in proof ? "recoveryCode" : "code";
    const totp = await stores.secondFactors.findTotp(userId);
    if (!totp?.isEnabled) return fail(new SecondFactorNotEnabled());
    const allowed = await this.throttle.check(userId, context?.ip ?? null, now);
    if (!allowed.ok) return allowed;

    let matched: MatchedProof | null = null;
    if ("recoveryCode" in proof) {
      const code = normaliseRecoveryCode(proof.recoveryCode);
      if (code) {
        for (const candidate of await stores.secondFactors.findUnusedRecoveryCodes(userId, recoveryCodeLookup(code))) {
          if (await this.hasher.verify(candidate.codeHash, code)) {
            matched = { method: "recovery-code", userId, codeId: candidate.id };
            break;
          }
        }
      }
    } else {
      const code = totpCode(proof.code);
      const step = code ? await this.codes.totpStepOf(totp.secret, code, now) : null;
      // A step at or before the last accepted one is a replay: refused like a wrong code.
      if (step !== null && totp.acceptsStep(step)) matched = { method: "totp", userId, step };
    }
    if (!matched) {
      await this.throttle.recordFailure(userId, now);
      return fail(new InvalidSecondFactorCode(field));
    }
    await this.throttle.clearAfterSuccess(userId, allowed.value);
    return ok(matched);
  }

  /** Spends a matched proof; false when a concurrent request spent it first (then refuse, as a replay). */
  async spend(stores: { secondFactors: SecondFactorCredentials }, matched: MatchedProof, now: Date): Promise<boolean> {
    return matched.method === "totp"
      ? stores.secondFactors.recordTotpStep(matched.userId, matched.step)
      : stores.secondFactors.useRecoveryCode(matched.codeId, now);
  }

  /** A proof that matched but lost the race to spend it counts as a failure too. */
  recordFailure(userId: string, now: Date): Promise<void> {
    return this.throttle.recordFailure(userId, now);
  }
}
