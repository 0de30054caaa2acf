/**
 * The application's use cases. Constructors take ports and settings explicitly, always in this
 * relative order, each use case taking only the ones it needs:
 *
 *   stores, uow, hasher, sessionTokens, randomTokens, rateLimits, clock, commonPasswords, settings
 *
 * so the composition root can bind them without decorators or a container.
 */
export { AuthenticateSession } from "./authenticate-session.use-case";
export type { AuthenticateSessionInput, AuthenticateSessionOutput } from "./authenticate-session.use-case";
export { ChangePassword } from "./change-password.use-case";
export type { ChangePasswordError, ChangePasswordInput, ChangePasswordOutput } from "./change-password.use-case";
export { CreateApiKey, apiKeyPrefixOf, API_KEY_PREFIX_LENGTH } from "./create-api-key.use-case";
export type { CreateApiKeyInput, CreateApiKeyOutput } from "./create-api-key.use-case";
export { DeleteAccount } from "./delete-account.use-case";
export type { DeleteAccountError, DeleteAccountInput } from "./delete-account.use-case";
export { ListApiKeys } from "./list-api-keys.use-case";
export type { ListApiKeysInput } from "./list-api-keys.use-case";
export { ListAuthEvents, AUTH_EVENTS_DEFAULT_LIMIT, AUTH_EVENTS_MAX_LIMIT } from "./list-auth-events.use-case";
export type { ListAuthEventsInput } from "./list-auth-events.use-case";
export { ListSessions } from "./list-sessions.use-case";
export type { ListedSession, ListSessionsInput } from "./list-sessions.use-case";
export { RequestPasswordReset } from "./request-password-reset.use-case";
export type { RequestPasswordResetInput } from "./request-password-reset.use-case";
export { ResendVerification } from "./resend-verification.use-case";
export type { ResendVerificationInput, ResendVerificationOutput } from "./resend-verification.use-case";
export { ResetPassword } from "./reset-password.use-case";
export type { ResetPasswordInput, ResetPasswordOutput } from "./reset-password.use-case";
export { RevokeAllSessions } from "./revoke-all-sessions.use-case";
export type { RevokeAllSessionsInput, RevokeAllSessionsOutput } from "./revoke-all-sessions.use-case";
export { RevokeApiKey } from "./revoke-api-key.use-case";
export type { RevokeApiKeyInput } from "./revoke-api-key.use-case";
export { RevokeSession } from "./revoke-session.use-case";
export type { RevokeSessionInput } from "./revoke-session.use-case";
export { SignIn } from "./sign-in.use-case";
export type { SignInError, SignInInput, SignInOutput } from "./sign-in.use-case";
export { SignOut } from "./sign-out.use-case";
export type { SignOutInput } from "./sign-out.use-case";
export { SignUp } from "./sign-up.use-case";
export type { SignUpError, SignUpInput, SignUpOutput } from "./sign-up.use-case";
export { VerifyEmail } from "./verify-email.use-case";
export type { VerifyEmailInput, VerifyEmailOutput } from "./verify-email.use-case";
