"use strict";
/**
 * The directives every page's Content-Security-Policy shares, whether its scripts are allowed by a
 * per-request nonce (security-headers.ts) or by their hashes (web/static-pages.cjs, the prerendered
 * public pages). Plain CommonJS, with its types in csp-directives.d.cts: next.config.ts loads the
 * static policy without a TypeScript compiler.
 */
exports.SHARED_DIRECTIVES = Object.freeze([
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
]);
