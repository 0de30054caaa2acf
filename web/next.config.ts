import type { NextConfig } from "next";
import { join } from "node:path";

// By absolute path: Next.js compiles this file into a module with no file name, whose relative
// requires would resolve from the working directory.
const { PER_REQUEST_WHEN, STATIC_CSP, STATIC_PAGES } = require(join(__dirname, "static-pages.cjs")) as typeof import("./static-pages.cjs");

/**
 * Headers that do not depend on the request, for every response (pages, route handlers, static
 * files). The CSP with a per-request nonce is set by the proxy (src/interfaces/web/security-headers.ts),
 * the prerendered public pages' CSP below; HSTS (only when APP_URL is https, read at run time) at the
 * server edge (src/interfaces/server/request-observer.ts).
 */
const everywhere = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

// A link's one-time token is in the URL only on the first GET, which the proxy answers with a 303 that
// moves it into a cookie (src/interfaces/web/shared/link-token.ts); no Referer may take it anywhere. The page
// behind it keeps the normal policy: under `no-referrer` its form POSTs would carry `Origin: null`,
// which Next.js refuses for server actions. Listed after `everywhere`: the later rule wins a header key.
const tokenPages = [{ key: "Referrer-Policy", value: "no-referrer" }];
const withToken = [{ type: "query" as const, key: "token" }];

// See static-pages.cjs. `next dev` renders every page per request.
const staticPages = process.env.NODE_ENV !== "development";
const plainAnonymousGet = PER_REQUEST_WHEN.map((condition) => ({ ...condition }));

const config: NextConfig = {
  // Lets several builds live side by side (e.g. a benchmark build beside the test build).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // TypeORM loads its driver dynamically: bundling it breaks the pg lookup at run time.
  serverExternalPackages: ["typeorm", "pg", "argon2", "@electric-sql/pglite", "@electric-sql/pglite-socket", "ioredis", "nodemailer", "pino", "prom-client", "stripe"],
  poweredByHeader: false,
  // The test harness builds right after `npm test` has type-checked the whole tree (web/ included) and
  // says so; every other build checks types as usual.
  typescript: { ignoreBuildErrors: process.env.BUILD_TYPES_CHECKED === "1" },
  reactStrictMode: true,
  async headers() {
    return [
      { source: "/:path*", headers: everywhere },
      { source: "/verify-email", has: withToken, headers: tokenPages },
      { source: "/reset-password", has: withToken, headers: tokenPages },
      { source: "/invite", has: withToken, headers: tokenPages },
      { source: "/dev/mailbox", headers: tokenPages },
      ...(staticPages
        ? STATIC_PAGES.map(({ path }) => ({
            source: path,
            missing: plainAnonymousGet,
            headers: [{ key: "Content-Security-Policy", value: STATIC_CSP }],
          }))
        : []),
    ];
  },
  async rewrites() {
    if (!staticPages) return [];
    return {
      beforeFiles: STATIC_PAGES.map(({ path, twin }) => ({ source: path, missing: plainAnonymousGet, destination: twin })),
      afterFiles: [],
      fallback: [],
    };
  },
};

export default config;
