/**
 * Every path the app serves, as a template: what metrics label a request with, so a label never holds
 * a raw path (an id, a token, a scanner's junk). test/unit/interfaces/route-templates.test.ts checks
 * this list against the route and page files under web/app.
 */
export const ROUTE_TEMPLATES = [
  "/",
  "/.well-known/oauth-authorization-server",
  "/api/account",
  "/api/account/email",
  "/api/account/email/confirm",
  "/api/api-keys",
  "/api/api-keys/:id",
  "/api/auth/change-password",
  "/api/auth/mfa",
  "/api/auth/mfa/recovery-codes",
  "/api/auth/mfa/totp",
  "/api/auth/mfa/totp/enable",
  "/api/auth/mfa/totp/setup",
  "/api/auth/password-reset",
  "/api/auth/passkeys",
  "/api/auth/passkeys/:id",
  "/api/auth/passkeys/authentication",
  "/api/auth/passkeys/authentication/options",
  "/api/auth/passkeys/reauthentication",
  "/api/auth/passkeys/registration",
  "/api/auth/passkeys/registration/options",
  "/api/auth/password-reset/confirm",
  "/api/auth/reauthenticate",
  "/api/auth/session",
  "/api/auth/sessions",
  "/api/auth/sessions/:id",
  "/api/auth/sign-in",
  "/api/auth/sign-in/mfa",
  "/api/auth/sign-out",
  "/api/auth/sign-out-all",
  "/api/auth/sign-up",
  "/api/auth/verify-email",
  "/api/auth/verify-email/resend",
  "/api/billing/webhook",
  "/api/devices",
  "/api/devices/:id",
  "/api/health",
  "/api/invitations/accept",
  "/api/invitations/decline",
  "/api/me",
  "/api/metrics",
  "/api/oauth/device/code",
  "/api/oauth/revoke",
  "/api/oauth/token",
  "/api/ready",
  "/api/teams",
  "/api/teams/:id",
  "/api/teams/:id/billing",
  "/api/teams/:id/billing/checkout",
  "/api/teams/:id/billing/portal",
  "/api/teams/:id/invitations",
  "/api/teams/:id/invitations/:invitationId",
  "/api/teams/:id/members/:userId",
  "/dashboard",
  "/dashboard/api-keys",
  "/dashboard/security",
  "/dashboard/settings",
  "/dashboard/teams",
  "/confirm-email",
  "/dashboard/teams/:id",
  "/dashboard/teams/:id/billing",
  "/dev/billing",
  "/dev/mailbox",
  "/device",
  "/forgot-password",
  // The prerendered copies (web/static-pages.cjs): a plain GET of the page is labelled by the page's
  // own path, as the request names it; these only label a request that names a copy directly.
  "/forgot-password/static",
  "/invite",
  "/reauthenticate",
  "/reset-password",
  "/sign-in",
  "/sign-in/mfa",
  "/sign-in/static",
  "/sign-up",
  "/verify-email",
] as const;

/** Labels for what no template names: any other /api path, Next.js's assets, everything else. */
export const OTHER_API = "/api/*";
export const ASSETS = "/_next/*";
export const OTHER = "(other)";

// A literal segment wins over a parameter (`/api/auth/passkeys/registration` is not passkey "registration"):
// templates with fewer parameters are tried first.
const MATCHERS = [...ROUTE_TEMPLATES]
  .sort((a, b) => (a.match(/:/g)?.length ?? 0) - (b.match(/:/g)?.length ?? 0))
  .map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/:[A-Za-z]+/g, "[^/]+")}/?$`),
  }));

/** The template a path (without its query) is served by. */
export function routeTemplateOf(path: string): string {
  for (const { template, pattern } of MATCHERS) if (pattern.test(path)) return template;
  if (path === "/api" || path.startsWith("/api/")) return OTHER_API;
  if (path.startsWith("/_next/")) return ASSETS;
  return OTHER;
}

/** Whether a path is a page (or a page-like file) rather than the JSON API or an asset. */
export function isPagePath(path: string): boolean {
  return !(path === "/api" || path.startsWith("/api/") || path.startsWith("/_next/"));
}
