import type { AuthSettings } from "../../../application/shared/auth-settings";
import type { CommonPasswords } from "../../../domain/identity/password";
import { getAuth, getEdgeConfig, hashingRefusal, TOKENS, useCaseToken } from "../../../infrastructure/di";
import type { Resolved, UseCaseName, UseCaseOf, UseCases } from "../../../infrastructure/di";
import { isUnavailable } from "../../http/shared/error-table";
import { markUnavailable } from "../../server/request-scope";

type DevMailbox = NonNullable<Resolved<typeof TOKENS.DevMailbox>>;
type DevCheckout = NonNullable<Resolved<typeof TOKENS.DevCheckout>>;

/**
 * The use cases the pages, server actions and proxy call, resolved from the composition root by their
 * registry names. This is the one file of src/interfaces/web that knows how the container is asked.
 */
export type WebUseCases = UseCases;

/**
 * A use case by name. A failure because the database is unreachable is also told to the server edge
 * (server/page-outage.ts), which then answers the page 503 instead of Next.js's 500.
 */
export async function useCase<K extends UseCaseName>(name: K): Promise<UseCaseOf<K>> {
  const auth = await getAuth().catch(noticeOutage);
  const useCase = auth.resolve(useCaseToken(name)) as UseCaseOf<K> & { execute(input: unknown): Promise<unknown> };
  return {
    execute: (input: unknown) => useCase.execute(input).catch(noticeOutage),
  } as unknown as UseCaseOf<K>;
}

function noticeOutage(error: unknown): never {
  if (isUnavailable(error)) markUnavailable();
  throw error;
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

/** The dev checkout (billing without Stripe, outside production), or null when it does not stand in. */
export async function devCheckout(): Promise<DevCheckout | null> {
  return (await getAuth()).resolve(TOKENS.DevCheckout);
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
