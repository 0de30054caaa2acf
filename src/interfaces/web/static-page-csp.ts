/**
 * The CSP of a page prerendered at build time: its scripts are fixed, so instead of a nonce (which
 * needs the page rendered per request) the policy lists the scripts of its HTML.
 *
 * - An inline script is allowed by the SHA-256 of its text ('sha256-…'), computed from the
 *   prerendered HTML that Next.js serves byte for byte.
 * - External scripts are allowed only from the build's own immutable assets, `<APP_URL>/_next/static/`
 *   (a path source, narrower than 'self'), which also covers the chunks Next.js loads later. Hashes of
 *   external scripts would need an integrity attribute on every tag, and Next.js 16 with Turbopack
 *   leaves it off the page's client chunks even with `experimental.sri`.
 *
 * A script injected into the page runs neither inline (no hash matches) nor from anywhere else: no
 * other origin is allowed, and on this origin only the build's JavaScript files (every response
 * carries nosniff, so nothing else can be run as a script). A page with an external script outside
 * /_next/static/ gets no policy here (the proxy then falls back to the nonce policy, under which the
 * static page's scripts are blocked: safe, and visible in every test).
 *
 * The prerendered pages are found in the build output (`<distDir>/server/app/**.html`), located
 * through WEB_BUILD_DIR, which web/next.config.ts sets when Next.js loads it at start-up.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

function attribute(attributes: string, name: string): string | null {
  const match = new RegExp(`(?:^|\\s)${name}(?:\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+)))?`, "i").exec(attributes);
  if (!match) return null;
  return match[1] ?? match[2] ?? match[3] ?? "";
}

/** Where a prerendered page's external scripts may come from: the build's immutable assets. */
export const STATIC_SCRIPT_PATH = "/_next/static/";

/**
 * The hash sources of every inline script of this HTML, or null when an external script comes from
 * outside STATIC_SCRIPT_PATH (the policy would not allow it).
 */
export function scriptHashesOf(html: string): string[] | null {
  const hashes = new Set<string>();
  for (const [, attributes = "", body = ""] of html.matchAll(SCRIPT)) {
    const src = attribute(attributes, "src");
    if (src === null) {
      hashes.add(`sha256-${createHash("sha256").update(body, "utf8").digest("base64")}`);
      continue;
    }
    if (!src.startsWith(STATIC_SCRIPT_PATH)) return null;
  }
  return [...hashes];
}

/** The route of a prerendered file: server/app/sign-in.html → /sign-in, server/app/index.html → /. */
function routeOf(appDir: string, file: string): string {
  const path = relative(appDir, file).split(sep).join("/").replace(/\.html$/, "");
  return path === "index" ? "/" : `/${path}`;
}

function htmlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...htmlFiles(path));
    else if (entry.name.endsWith(".html")) found.push(path);
  }
  return found;
}

/** Route → script hashes of every prerendered page in a build (pages whose scripts cannot be pinned are left out). */
export function prerenderedScriptHashes(buildDir: string): Map<string, string[]> {
  const appDir = join(buildDir, "server", "app");
  const pages = new Map<string, string[]>();
  if (!existsSync(appDir)) return pages;
  for (const file of htmlFiles(appDir)) {
    const hashes = scriptHashesOf(readFileSync(file, "utf8"));
    if (hashes) pages.set(routeOf(appDir, file), hashes);
  }
  return pages;
}

let cached: { readonly buildDir: string; readonly pages: Map<string, string[]> } | null = null;

/**
 * The script hashes of the prerendered page at this path, or null when the path is not a prerendered
 * page of the running build. Read once: a build's prerendered pages never change while it runs.
 */
export function staticPageScriptHashes(pathname: string, buildDir: string | undefined = process.env.WEB_BUILD_DIR): readonly string[] | null {
  if (!buildDir) return null;
  if (cached?.buildDir !== buildDir) cached = { buildDir, pages: prerenderedScriptHashes(buildDir) };
  const path = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  return cached.pages.get(path) ?? null;
}
