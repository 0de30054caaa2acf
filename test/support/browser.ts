/**
 * Chromium for the browser suites: Debian's /usr/bin/chromium driven by playwright-core (no browser
 * download: the machines reach only the package registries). Screenshots and the accessibility audit
 * live here too, so every suite looks and judges the same way.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { postgresReachable, TEST_DATABASE_URL } from "./next-server";

export const ROOT = resolve(__dirname, "../..");
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const ARTIFACTS_DIR = join(ROOT, ".e2e-artifacts");
export const SCREENSHOT_DIR = join(ARTIFACTS_DIR, "screenshots");

const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS, timeout: 30_000 });
}

/** What a browser suite needs and does not have on this machine, or null when it can run. */
function missingPrerequisite(needsPostgres: boolean): string | null {
  if (!existsSync(CHROMIUM_PATH)) return `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (needsPostgres && !postgresReachable()) return `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL)`;
  return null;
}

/**
 * `describe` when Chromium (and, unless told otherwise, PostgreSQL) are there; otherwise the suite
 * fails with a message that says what is missing. (On a workstation without them, jest.config.js
 * leaves the browser suites out with a notice.)
 */
export function describeInBrowser(name: string, body: () => void, options: { postgres?: boolean } = {}): void {
  const missing = missingPrerequisite(options.postgres ?? true);
  if (missing === null) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    it("needs its prerequisites", () => {
      throw new Error(`${missing}: the browser suite "${name}" cannot run.`);
    });
  });
}

export interface Viewport {
  readonly name: "desktop" | "phone";
  readonly width: number;
  readonly height: number;
}

export const DESKTOP: Viewport = { name: "desktop", width: 1280, height: 800 };
export const PHONE: Viewport = { name: "phone", width: 390, height: 844 };

/** A fresh context, as a separate person or device: its own cookies, storage and viewport. */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: DESKTOP.width, height: DESKTOP.height }, locale: "en-GB", timezoneId: "Europe/London", ...options });
}

let announced = false;

/** Full-page screenshot to .e2e-artifacts/screenshots/<name>-<viewport>.png; answers the file's path. */
export async function screenshot(page: Page, name: string, viewport: Viewport = DESKTOP): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  if (!announced) {
    announced = true;
    console.log(`Screenshots are written to ${SCREENSHOT_DIR}`);
  }
  const file = join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9-]+/gi, "-").toLowerCase()}-${viewport.name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: "disabled", caret: "hide" });
  return file;
}

export interface AxeFinding {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: string[];
}

/**
 * Runs axe (WCAG 2.0–2.2 A/AA and best practices) on the page as it is and answers the serious and
 * critical findings, each with the elements concerned, so a failure says exactly what to fix.
 */
export async function seriousAccessibilityFindings(page: Page): Promise<AxeFinding[]> {
  // After a client-side navigation the router puts the new page's <title> in place a moment after the
  // address changes; audit the page once it has settled. A page with no title still fails below.
  await page.waitForFunction(() => document.title.trim() !== "", undefined, { timeout: 5_000 }).catch(() => undefined);
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  // An audit that checked nothing (axe not injected, blank page) must not read as a clean page.
  if (results.passes.length === 0) throw new Error(`axe checked nothing on ${page.url()}`);
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact ?? "unknown",
      help: violation.help,
      targets: violation.nodes.map((node) => `${node.target.join(" ")} — ${node.failureSummary?.replace(/\s+/g, " ") ?? ""}`),
    }));
}

/** Every form control that a screen reader would announce without a name. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = Array.from(document.querySelectorAll<HTMLElement>("input, select, textarea"));
    return controls
      .filter((control) => {
        const input = control as HTMLInputElement;
        if (input.type === "hidden" || input.hidden || control.closest("[hidden]")) return false;
        const labels = (input.labels ? Array.from(input.labels) : []).filter((label) => label.textContent?.trim());
        return labels.length === 0 && !control.getAttribute("aria-label")?.trim() && !control.getAttribute("aria-labelledby");
      })
      .map((control) => control.outerHTML.slice(0, 160));
  });
}

/** The element that has keyboard focus, described as a person would find it. */
export async function focusedElement(page: Page): Promise<{ tag: string; id: string; name: string; text: string; invalid: string | null }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return {
      tag: element?.tagName.toLowerCase() ?? "",
      id: element?.id ?? "",
      name: element?.getAttribute("name") ?? "",
      text: (element?.textContent ?? "").trim().slice(0, 200),
      invalid: element?.getAttribute("aria-invalid") ?? null,
    };
  });
}
