// Mfa: the second factor: an authenticator app (TOTP) with recovery codes, and the second step of a sign-in.
import type { UseCaseRegistry } from "../shared/use-case-ports";
import { CompleteSignIn } from "./complete-sign-in.use-case";
import { DisableTotp } from "./disable-totp.use-case";
import { EnableTotp } from "./enable-totp.use-case";
import { GetMfaStatus } from "./get-mfa-status.use-case";
import type { MfaPorts } from "./mfa-stores";
import { RegenerateRecoveryCodes } from "./regenerate-recovery-codes.use-case";
import { SetUpTotp } from "./set-up-totp.use-case";

/** The mfa use cases, each built from its ports: the one place they are registered. */
export const mfaUseCases = {
  getMfaStatus: (p: MfaPorts) => new GetMfaStatus(p.stores, p.secondFactorCodes, p.settings),
  setUpTotp: (p: MfaPorts) => new SetUpTotp(p.stores, p.secondFactorCodes, p.clock, p.settings),
  enableTotp: (p: MfaPorts) => new EnableTotp(p.stores, p.uow, p.hasher, p.randomTokens, p.secondFactorCodes, p.clock),
  disableTotp: (p: MfaPorts) => new DisableTotp(p.stores, p.uow, p.hasher, p.randomTokens, p.secondFactorCodes, p.rateLimits, p.clock, p.settings, p.metrics),
  regenerateRecoveryCodes: (p: MfaPorts) => new RegenerateRecoveryCodes(p.stores, p.uow, p.hasher, p.randomTokens, p.secondFactorCodes, p.clock, p.settings),
  completeSignIn: (p: MfaPorts) =>
    new CompleteSignIn(p.stores, p.uow, p.hasher, p.sessionTokens, p.randomTokens, p.secondFactorCodes, p.rateLimits, p.clock, p.settings, p.metrics),
} satisfies UseCaseRegistry<MfaPorts>;

export type { MfaPorts, MfaStores } from "./mfa-stores";
export type { MfaRepository } from "./mfa-repository.port";
export { CompleteSignIn, DisableTotp, EnableTotp, GetMfaStatus, RegenerateRecoveryCodes, SetUpTotp };
export type { CompleteSignInError, CompleteSignInInput, CompleteSignInOutput } from "./complete-sign-in.use-case";
export type { DisableTotpInput } from "./disable-totp.use-case";
export type { EnableTotpInput, EnableTotpOutput } from "./enable-totp.use-case";
export type { GetMfaStatusInput, MfaStatus } from "./get-mfa-status.use-case";
export type { RegenerateRecoveryCodesInput } from "./regenerate-recovery-codes.use-case";
export type { SetUpTotpInput, SetUpTotpOutput } from "./set-up-totp.use-case";
