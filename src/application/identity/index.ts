// Identity: an account and its credentials: sign-up, sign-in and sign-out, the address and its
// verification, the password (reset, change), the account's deletion and its security activity.
import { ChangePassword } from "./change-password.use-case";
import { DeleteAccount } from "./delete-account.use-case";
import { ConfirmEmailChange } from "./email-change/confirm-email-change.use-case";
import { RequestEmailChange } from "./email-change/request-email-change.use-case";
import type { IdentityPorts } from "./identity-stores";
import { ListAuthEvents } from "./list-auth-events.use-case";
import { RequestPasswordReset } from "./request-password-reset.use-case";
import { ResendVerification } from "./resend-verification.use-case";
import { ResetPassword } from "./reset-password.use-case";
import { SignIn } from "./sign-in.use-case";
import { SignOut } from "./sign-out.use-case";
import { SignUp } from "./sign-up.use-case";
import { VerifyEmail } from "./verify-email.use-case";
import type { UseCaseRegistry } from "../shared/use-case-ports";

/** The identity use cases, each built from its ports: the one place they are registered. */
export const identityUseCases = {
  signUp: (p: IdentityPorts) => new SignUp(p.stores, p.uow, p.hasher, p.sessionTokens, p.randomTokens, p.rateLimits, p.clock, p.commonPasswords, p.settings, p.metrics),
  signIn: (p: IdentityPorts) => new SignIn(p.stores, p.uow, p.hasher, p.sessionTokens, p.randomTokens, p.rateLimits, p.clock, p.settings, p.metrics),
  signOut: (p: IdentityPorts) => new SignOut(p.stores, p.sessionTokens, p.randomTokens, p.clock),
  verifyEmail: (p: IdentityPorts) => new VerifyEmail(p.stores, p.uow, p.randomTokens, p.clock),
  resendVerification: (p: IdentityPorts) => new ResendVerification(p.stores, p.uow, p.randomTokens, p.rateLimits, p.clock, p.settings, p.metrics),
  requestPasswordReset: (p: IdentityPorts) => new RequestPasswordReset(p.stores, p.uow, p.randomTokens, p.rateLimits, p.clock, p.settings, p.metrics),
  resetPassword: (p: IdentityPorts) =>
    new ResetPassword(p.stores, p.uow, p.hasher, p.randomTokens, p.rateLimits, p.clock, p.commonPasswords, p.settings, p.metrics),
  changePassword: (p: IdentityPorts) =>
    new ChangePassword(p.stores, p.uow, p.hasher, p.sessionTokens, p.randomTokens, p.rateLimits, p.clock, p.commonPasswords, p.settings, p.metrics),
  deleteAccount: (p: IdentityPorts) => new DeleteAccount(p.stores, p.uow, p.hasher, p.randomTokens, p.rateLimits, p.clock, p.settings, p.metrics),
  listAuthEvents: (p: IdentityPorts) => new ListAuthEvents(p.stores),
  requestEmailChange: (p: IdentityPorts) => new RequestEmailChange(p.stores, p.uow, p.randomTokens, p.rateLimits, p.clock, p.settings, p.metrics),
  confirmEmailChange: (p: IdentityPorts) => new ConfirmEmailChange(p.stores, p.uow, p.randomTokens, p.clock),
} satisfies UseCaseRegistry<IdentityPorts>;

export type { IdentityPorts, IdentityStores } from "./identity-stores";
export type { VerificationTokenRepository } from "./verification-token-repository.port";
export type { TeamOwnership } from "./team-ownership.port";
export { ChangePassword, ConfirmEmailChange, DeleteAccount, RequestEmailChange, ListAuthEvents, RequestPasswordReset, ResendVerification, ResetPassword, SignIn, SignOut, SignUp, VerifyEmail };
export type { ChangePasswordError, ChangePasswordInput, ChangePasswordOutput } from "./change-password.use-case";
export type { DeleteAccountError, DeleteAccountInput } from "./delete-account.use-case";
export { AUTH_EVENTS_DEFAULT_LIMIT, AUTH_EVENTS_MAX_LIMIT } from "./list-auth-events.use-case";
export type { ListAuthEventsInput } from "./list-auth-events.use-case";
export type { RequestPasswordResetInput } from "./request-password-reset.use-case";
export type { ResendVerificationInput, ResendVerificationOutput } from "./resend-verification.use-case";
export type { ResetPasswordInput, ResetPasswordOutput } from "./reset-password.use-case";
export type { SignInError, SignInInput, SignInOutput } from "./sign-in.use-case";
export type { SignOutInput } from "./sign-out.use-case";
export type { SignUpError, SignUpInput, SignUpOutput } from "./sign-up.use-case";
export type { VerifyEmailInput, VerifyEmailOutput } from "./verify-email.use-case";
