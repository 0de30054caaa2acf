/** The user journeys the attack tests start from, over HTTP only. */
import type { NextServer } from "../support/security-app";
import type { CapturedMail } from "../support/smtp-capture";
import { Browser, linkToken, PASSWORD, uniqueEmail, type HttpResponse } from "../support/security-http";

export interface Account {
  readonly email: string;
  readonly password: string;
  readonly userId: string;
}

export function expectStatus(response: HttpResponse, status: number): void {
  if (response.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${response.status}: ${response.text.slice(0, 500)}`);
  }
}

/** Signs up a fresh account in `browser`, which then holds its session. */
export async function signUp(browser: Browser, email = uniqueEmail(), password = PASSWORD): Promise<Account> {
  const response = await browser.post("/api/auth/sign-up", { email, password });
  expectStatus(response, 201);
  return { email, password, userId: response.json.user.id };
}

export async function signIn(browser: Browser, account: Pick<Account, "email" | "password">): Promise<HttpResponse> {
  const response = await browser.post("/api/auth/sign-in", { email: account.email, password: account.password });
  expectStatus(response, 200);
  return response;
}

/** Mails captured for `email`, oldest first. */
export function mailsTo(server: NextServer, email: string): CapturedMail[] {
  return server.smtp.messages.filter((mail) => mail.to.includes(email));
}

/** Waits for the `n`-th (1-based) mail to `email` that carries a link to `path`. */
export async function nthLinkMail(server: NextServer, email: string, path: string, n = 1, timeoutMs = 10_000): Promise<CapturedMail> {
  const link = `${appUrl(server)}${path}?token=`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = mailsTo(server, email).filter((mail) => mail.text.includes(link));
    if (found.length >= n) return found[n - 1]!;
    if (Date.now() > deadline) throw new Error(`mail #${n} with ${path} to ${email} did not arrive within ${timeoutMs} ms`);
    await server.smtp.waitFor(() => false, 100).catch(() => undefined);
  }
}

export async function verificationToken(server: NextServer, email: string, n = 1): Promise<string> {
  return linkToken(await nthLinkMail(server, email, "/verify-email", n), appUrl(server), "/verify-email");
}

export async function resetToken(server: NextServer, email: string, n = 1): Promise<string> {
  return linkToken(await nthLinkMail(server, email, "/reset-password", n), appUrl(server), "/reset-password");
}

/** The public origin the server was started with (links and the Origin check use it). */
export function appUrl(server: NextServer): string {
  return server.env.APP_URL ?? server.url;
}

/** Signs up and confirms the address through the mailed link. */
export async function verifiedAccount(server: NextServer, browser: Browser, email = uniqueEmail()): Promise<Account> {
  const account = await signUp(browser, email);
  const token = await verificationToken(server, account.email);
  expectStatus(await browser.post("/api/auth/verify-email", { token }), 200);
  return account;
}

/** Requests a reset link for `email` and returns its token (the `n`-th reset mail to that address). */
export async function requestReset(server: NextServer, email: string, n = 1): Promise<string> {
  const browser = Browser.of(server);
  expectStatus(await browser.post("/api/auth/password-reset", { email }), 202);
  return resetToken(server, email, n);
}

export async function isSignedIn(server: NextServer, cookie: string | null): Promise<boolean> {
  const browser = Browser.of(server);
  const response = await browser.get("/api/auth/session", { cookie });
  if (response.status !== 200 && response.status !== 401) throw new Error(`GET /api/auth/session answered ${response.status}`);
  return response.status === 200;
}
