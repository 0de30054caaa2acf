import type { AuthSettings } from "../../application/auth-settings";
import type {
  AuthenticateSession,
  ChangePassword,
  CreateApiKey,
  DeleteAccount,
  ListApiKeys,
  ListAuthEvents,
  ListSessions,
  RequestPasswordReset,
  ResendVerification,
  ResetPassword,
  RevokeAllSessions,
  RevokeApiKey,
  RevokeSession,
  SignIn,
  SignOut,
  SignUp,
  VerifyEmail,
} from "../../application/use-cases";
import type { CommonPasswords } from "../../domain/identity/password";
import { getAuth, getEdgeConfig, hashingRefusal, TOKENS, type Token } from "../../infrastructure/di";
import type { Resolved } from "../../infrastructure/di";

type DevMailbox = NonNullable<Resolved<typeof TOKENS.DevMailbox>>;

/**
 * The use cases the pages, server actions and proxy call, resolved from the composition root. This is
 * the one file of src/interfaces/web that knows how the container is asked.
 */
export interface WebUseCases {
  readonly authenticateSession: AuthenticateSession;
  readonly signUp: SignUp;
  readonly signIn: SignIn;
  readonly signOut: SignOut;
  readonly revokeAllSessions: RevokeAllSessions;
  readonly revokeSession: RevokeSession;
  readonly listSessions: ListSessions;
  readonly verifyEmail: VerifyEmail;
  readonly resendVerification: ResendVerification;
  readonly requestPasswordReset: RequestPasswordReset;
  readonly resetPassword: ResetPassword;
  readonly changePassword: ChangePassword;
  readonly deleteAccount: DeleteAccount;
  readonly createApiKey: CreateApiKey;
  readonly listApiKeys: ListApiKeys;
  readonly revokeApiKey: RevokeApiKey;
  readonly listAuthEvents: ListAuthEvents;
}

const TOKEN_OF = {
  authenticateSession: TOKENS.AuthenticateSession,
  signUp: TOKENS.SignUp,
  signIn: TOKENS.SignIn,
  signOut: TOKENS.SignOut,
  revokeAllSessions: TOKENS.RevokeAllSessions,
  revokeSession: TOKENS.RevokeSession,
  listSessions: TOKENS.ListSessions,
  verifyEmail: TOKENS.VerifyEmail,
  resendVerification: TOKENS.ResendVerification,
  requestPasswordReset: TOKENS.RequestPasswordReset,
  resetPassword: TOKENS.ResetPassword,
  changePassword: TOKENS.ChangePassword,
  deleteAccount: TOKENS.DeleteAccount,
  createApiKey: TOKENS.CreateApiKey,
  listApiKeys: TOKENS.ListApiKeys,
  revokeApiKey: TOKENS.RevokeApiKey,
  listAuthEvents: TOKENS.ListAuthEvents,
} as const;

export async function useCase<K extends keyof WebUseCases>(name: K): Promise<WebUseCases[K]> {
  const auth = await getAuth();
  return auth.resolve(TOKEN_OF[name] as Token<WebUseCases[K]>);
}

export async function authSettings(): Promise<AuthSettings> {
  return (await getAuth()).resolve(TOKENS.AuthSettings);
}

/** The list of common passwords the password policy refuses. */
export async function commonPasswords(): Promise<CommonPasswords> {
  return (await getAuth()).resolve(TOKENS.CommonPasswords);
}

/** The development mailbox, or null when mail really goes out (SMTP) or in production. */
export async function devMailbox(): Promise<DevMailbox | null> {
  if (process.env.NODE_ENV === "production") return null;
  return (await getAuth()).resolve(TOKENS.DevMailbox);
}

/** Whether X-Forwarded-For may name the client (TRUST_PROXY); read without booting the container. */
export function trustProxy(): boolean {
  return getEdgeConfig().trustProxy;
}

/** The public origin (APP_URL, validated): decides the cookie's name and Secure flag, and HSTS. */
export function appUrl(): string {
  return getEdgeConfig().appUrl;
}

/**
 * For the forms that hash a password (sign-up, sign-in): while hashing is at capacity, throws the same
 * OVERLOADED refusal the hasher would, before the form is read or a query runs.
 */
export function refuseWhileHashingIsFull(): void {
  const refusal = hashingRefusal();
  if (refusal) throw refusal;
}
