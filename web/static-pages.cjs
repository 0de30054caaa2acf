/**
 * Public pages served as prerendered HTML: a plain anonymous GET of one of these paths is rewritten
 * (next.config.ts) to its twin, a copy of the page rendered once at build time, and answered with a
 * CSP of the SHA-256 hashes of its inline scripts instead of a per-request nonce. The proxy does not
 * run for it, so it costs what a static file costs.
 *
 * Everything else on these paths goes through the proxy to the page rendered per request, as before:
 * a session cookie (the signed-in redirect, or clearing a dead cookie), `?next=` or `?notice=` (which
 * change the page), and a form post (a server action: origin check, malformed-form check). The two sets
 * of conditions are exact complements, so a request is either static or proxied, never both:
 * next.config.ts lists PER_REQUEST_WHEN as `missing` for the rewrite and the static CSP, and the
 * proxy's matcher (web/proxy.ts, literal because Next.js reads it at build time) as `has`, one entry
 * each; test/unit/web/static-pages.test.ts checks that the two agree.
 *
 * CommonJS, with its types in static-pages.d.cts: next.config.ts can load plain JavaScript only, and
 * scripts/static-csp.mjs reads the same lists.
 *
 * The hashes exist only once the page is prerendered, after the routes manifest is written: the
 * build (`npm run build`) ends with scripts/static-csp.mjs, which puts them in place of STATIC_CSP's
 * placeholders. Until then the placeholders are not valid sources, so the policy allows no inline
 * script at all: it fails closed.
 *
 * In `next dev` every page renders per request (no rewrite), and these pages carry no CSP there.
 */

"use strict";

const { join } = require("node:path");
// By absolute path, for the same reason as in next.config.ts.
const { SHARED_DIRECTIVES } = require(join(__dirname, "../src/interfaces/web/csp-directives.cjs"));

const STATIC_PAGES = [
  { path: "/sign-in", twin: "/sign-in/static" },
  { path: "/forgot-password", twin: "/forgot-password/static" },
];

const PER_REQUEST_WHEN = [
  { type: "cookie", key: "session" },
  { type: "cookie", key: "__Host-session" },
  { type: "query", key: "next" },
  { type: "query", key: "notice" },
  { type: "header", key: "next-action" },
  { type: "header", key: "content-type" },
];

const SCRIPT_HASHES = "'script-hashes-pending'";
const STYLE_HASHES = "'style-hashes-pending'";

/**
 * The nonce policy of src/interfaces/web/security-headers.ts with hashes in place of the nonce and no
 * 'strict-dynamic': inline scripts only by hash, script files only from this origin (the build's
 * chunks; everything else this origin serves is JSON or text, which nosniff never runs as script).
 * No `upgrade-insecure-requests`: every resource of the page is a same-origin path.
 */
const STATIC_CSP = ["default-src 'self'", `script-src 'self' ${SCRIPT_HASHES}`, `style-src 'self' ${STYLE_HASHES}`, ...SHARED_DIRECTIVES].join("; ");

exports.STATIC_PAGES = STATIC_PAGES;
exports.PER_REQUEST_WHEN = PER_REQUEST_WHEN;
exports.SCRIPT_HASHES = SCRIPT_HASHES;
exports.STYLE_HASHES = STYLE_HASHES;
exports.STATIC_CSP = STATIC_CSP;
