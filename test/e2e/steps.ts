/**
 * What a person does on the pages, found the way they (and screen readers) find things: by role,
 * label and visible text. No test ids and no CSS selectors, so a journey that passes is a journey a
 * person can actually take.
 */
import { randomBytes } from "node:crypto";
import type { Page, Response } from "playwright-core";
import type { E2eServer } from "../support/e2e-server";

export const VERIFY_SUBJECT = /confirm your e-mail/i;
export const RESET_SUBJECT = /reset your password/i;

/** A unique address per journey, so journeys sharing a server never meet. */
export function newEmail(label: string): string {
  return `${label}-${randomBytes(4).toString("hex")}@example.com`;
}

/** Long, uncommon, and not derived from the address: what the password policy accepts. */
export function newPassword(): string {
  return `lantern ${randomBytes(3).toString("hex")} orchard quietly`;
}

export async function open(page: Page, server: E2eServer, path: string): Promise<Response | null> {
  return page.goto(`${server.url}${path}`, { waitUntil: "load" });
}

export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}

/** Waits until the page's path (without query) is `path`, after a redirect or a client navigation. */
export async function waitForPath(page: Page, path: string | RegExp, timeout = 15_000): Promise<void> {
  await page.waitForURL((url) => (typeof path === "string" ? url.pathname === path : path.test(`${url.pathname}${url.search}`)), { timeout });
}

/**
 * Presses a form's submit button and waits for the server's answer to be on the page. A person
 * waits too: the button ignores a second press while the form is in flight.
 */
export async function press(page: Page, button: string): Promise<void> {
  const answered = page.waitForResponse((response) => response.request().method() === "POST", { timeout: 20_000 });
  await page.getByRole("button", { name: button, exact: true }).click();
  await answered;
  await page.waitForFunction(() => !document.querySelector("button[aria-disabled='true']"), undefined, { timeout: 15_000 });
}

export async function fillSignUp(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await press(page, "Create account");
}

export async function fillSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await press(page, "Sign in");
}

/** Signs up on /sign-up and waits for the dashboard. Answers the index of the first mail it may cause. */
export async function signUp(page: Page, server: E2eServer, email: string, password: string): Promise<number> {
  const mailsBefore = server.smtp.messages.length;
  await open(page, server, "/sign-up");
  await fillSignUp(page, email, password);
  await waitForPath(page, "/dashboard");
  return mailsBefore;
}

export async function signIn(page: Page, server: E2eServer, email: string, password: string, path = "/sign-in"): Promise<void> {
  await open(page, server, path);
  await fillSignIn(page, email, password);
  await page.waitForURL((url) => url.pathname !== "/sign-in", { timeout: 15_000 });
}

/**
 * Opens the verification link of the newest verification mail to `email` and presses the button;
 * the product then shows the account (or sign-in, in a browser that is not signed in) saying so.
 */
export async function verifyFromMail(page: Page, server: E2eServer, email: string, after = 0): Promise<void> {
  const mail = await server.mailTo(email, VERIFY_SUBJECT, after);
  await page.goto(server.linkIn(mail, "/verify-email"));
  await press(page, "Confirm my e-mail address");
  await page.waitForURL((url) => url.pathname === "/dashboard" || url.pathname === "/sign-in", { timeout: 15_000 });
  await page.getByRole("main").getByText("Your e-mail address is verified.").waitFor({ timeout: 15_000 });
}

/**
 * The text of the page's main region, whitespace folded: what a person reads. Waits for the
 * streamed page to replace its "Loading…" placeholder first.
 */
export async function mainText(page: Page): Promise<string> {
  const main = page.getByRole("main");
  await main.waitFor();
  await page.waitForFunction(() => !document.querySelector("main")?.textContent?.trim().startsWith("Loading"), undefined, { timeout: 15_000 });
  return (await main.innerText()).replace(/\s+/g, " ");
}

/** Waits until the main region shows `text`, as a person waits for a page to finish. */
export async function see(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole("main").getByText(text).first().waitFor({ timeout: 15_000 });
}

/**
 * The message the page shows after a form was sent: an alert for a refusal, a status for a
 * success, inside the main region (the router's own live region outside it speaks only of titles).
 */
export async function formMessage(page: Page, tone: "error" | "success" = "error"): Promise<string> {
  const message = page.getByRole("main").getByRole(tone === "error" ? "alert" : "status").filter({ hasText: /\S/ }).first();
  await message.waitFor({ timeout: 15_000 });
  return (await message.innerText()).replace(/\s+/g, " ").trim();
}

/**
 * A message a person can act on: says what happened and what to do, in plain words. Codes, stack
 * traces and developer words never reach the page.
 */
export function expectPlainWords(message: string): void {
  expect(message.length).toBeGreaterThan(15);
  expect(message).not.toMatch(/[A-Z]{3,}_[A-Z_]{3,}|Error:|exception|undefined|null|\bstack\b|\bat \S+\.(ts|js)\b|\b[45]\d\d\b/);
}
