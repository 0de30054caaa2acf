#!/usr/bin/env node
/**
 * The last step of a production build: writes the SHA-256 hashes of each prerendered public page's
 * inline scripts (and inline styles, if any) into that page's Content-Security-Policy in the routes
 * manifest, in place of the placeholders of web/static-pages.cjs. Next.js writes the manifest before
 * it prerenders, so next.config.ts cannot know them; `next start` reads the headers from the manifest.
 *
 *   node scripts/static-csp.mjs [webDir=web] [distDir=$NEXT_DIST_DIR or .next]
 *
 * Fails (exit 1) when a page or a placeholder is missing, so a build never ships a policy it did not check.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import staticPages from "../web/static-pages.cjs";

const { SCRIPT_HASHES, STYLE_HASHES, STATIC_PAGES } = staticPages;

const sha256 = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** Inline <script> and <style> bodies of an HTML document, as the browser hashes them (the raw text). */
export function inlineHashes(html) {
  const scripts = new Set();
  const styles = new Set();
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(match[1])) continue;
    scripts.add(sha256(match[2]));
  }
  for (const match of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) styles.add(sha256(match[1]));
  if (/<[a-z][^>]*\sstyle\s*=/i.test(html)) throw new Error("a prerendered page has a style attribute, which a hash policy cannot allow");
  if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(html)) throw new Error("a prerendered page has an inline event handler, which a hash policy cannot allow");
  return { scripts: [...scripts], styles: [...styles] };
}

export function applyStaticCsp(webDir = "web", distDir = process.env.NEXT_DIST_DIR || ".next") {
  const dist = resolve(webDir, distDir);
  const manifestPath = join(dist, "routes-manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const applied = [];
  for (const { path: page, twin } of STATIC_PAGES) {
    const { scripts, styles } = inlineHashes(readFileSync(join(dist, "server", "app", `${twin}.html`), "utf8"));
    let found = 0;
    for (const rule of manifest.headers) {
      if (rule.source !== page) continue;
      for (const header of rule.headers) {
        if (header.key.toLowerCase() !== "content-security-policy" || !header.value.includes(SCRIPT_HASHES)) continue;
        header.value = header.value.replace(SCRIPT_HASHES, scripts.join(" ")).replace(STYLE_HASHES, styles.join(" ")).replace(/ +;/g, ";");
        found++;
      }
    }
    if (found !== 1) throw new Error(`${page}: expected one static CSP in ${manifestPath}, found ${found} (already applied?)`);
    applied.push(`${page}: ${scripts.length} script and ${styles.length} style hashes`);
  }
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return applied;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const line of applyStaticCsp(process.argv[2], process.argv[3])) console.log(`static CSP ${line}`);
  } catch (error) {
    console.error(`static CSP: ${error.message}`);
    process.exit(1);
  }
}
