/** The user journeys the attack tests start from, over HTTP only. */
import type { NextServer } from "../support/security-app";
import type { CapturedMail } from "../support/smtp-capture";
import { Browser, linkToken, PASSWORD, request, uniqueEmail, type HttpResponse } from "../support/security-http";

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

/** The hidden inputs of the first form of a page (a server action's id and bound state), `next` excluded. */
export function hiddenFields(html: string): Array<[string, string]> {
  const form = /<form[\s\S]*?<\/form>/.exec(html)?.[0] ?? "";
  const decode = (value: string) => value.replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#x27;/g, "'");
  return [...form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/?>/g)]
    .filter((m) => m[1] !== "next")
    .map((m) => [decode(m[1]!), decode(m[2] ?? "")]);
}

/** Posts a form as a browser without JavaScript does (multipart), to a page whose form runs a server action. */
export function postForm(baseUrl: string, path: string, fields: Array<[string, string]>, headers: Record<string, string>): Promise<HttpResponse> {
  const boundary = "----form" + Math.random().toString(16).slice(2);
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join("");
  return request(baseUrl, path, {
    method: "POST",
    raw: `${parts}--${boundary}--\r\n`,
    headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, Accept: "text/html", ...headers },
  });
}

/** Signs in through the sign-in page's own form (the server action), as a browser without JavaScript. */
export async function signInWithForm(server: NextServer, email: string, password: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
  const page = await request(server.url, "/sign-in", { headers });
  const fields = hiddenFields(page.text);
  if (fields.length === 0) throw new Error("no server action form on /sign-in");
  return postForm(server.url, "/sign-in", [...fields, ["email", email], ["password", password], ["next", "/dashboard"]], { Origin: appUrl(server), ...headers });
}
