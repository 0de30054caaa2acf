/**
 * The lines of the security requirements, word for word where they fit a test name. Each outside-in
 * test sits in a `describe` named after the line it proves, so a failing test names the broken promise.
 */
export const REQUIREMENTS = {
  passwords: {
    argon2id:
      "argon2id with parameters pinned in code, at least OWASP's m=19456 KiB, t=2, p=1; a hash made with weaker parameters is upgraded at the next successful sign-in",
    length:
      "Length counted in code points: minimum 8 (configurable), maximum 128; over the maximum → 400, never truncated. No composition rules",
    policy:
      "The same password policy on sign-up, change and reset; a blocklist of common passwords (at least the 3,000 most common that fit the length rule, shipped with the project) and the user's own e-mail refused with a reason",
    normalisation: "Passwords verified exactly as received, apart from one documented Unicode normalisation (NFKC) applied identically on set and verify",
    oversized: "Oversized bodies are refused before parsing and before any hashing",
  },
  enumeration: {
    sameAnswer:
      "Unknown e-mail and wrong password give the same status, body and headers, and similar time (a dummy hash on the unknown path). Reset request and resend answer the same for any e-mail",
    throttling:
      "Throttling is keyed by account (canonical e-mail, existing or not) and by client IP, in a store that every instance shares, applied in the application layer; growing delays, a hard stop well under 100 failures until a password reset, reset on success, 429 with Retry-After; no lock-out of the reset flow",
    clientIp: "The client IP comes from the socket unless TRUST_PROXY is set; spoofed X-Forwarded-For and friends change nothing by default",
    mailLimits: "E-mail-sending routes (sign-up, reset, resend) have strict per-account and per-IP limits",
  },
  sessions: {
    newSession:
      "Every sign-in (and re-authentication) creates a new session with a new id; a client-supplied cookie value is never adopted, and a session cookie presented at sign-in is ended. Session ids and all one-time tokens have ≥ 128 bits from a CSPRNG (not UUIDs)",
    jwtContents:
      "The JWT carries ids, timestamps and its type only: no e-mail or other personal data. The session token is accepted from the cookie only, never from a query string or an Authorization header",
    jwtVerification:
      "The JWT is verified with the algorithm pinned to HS256, iss, aud, an explicit typ, exp and the required claims checked; kid, jku, jwk, x5u, x5c never choose a key. Then the session row must exist, be unrevoked, unexpired, within its idle and absolute limits, and belong to sub",
    revocation:
      "Revoked on sign-out, sign-out-all, password reset (all), password change (all others), account deletion (all), session delete (that one). Refused on the next request on every instance",
    lifetimes:
      "Absolute lifetime (default 30 days, never extended by activity), idle timeout (default 7 days), rotation to a new session id after a fixed age (default 24 h) with a short grace; concurrent requests at rotation must not log the user out or fork the session; sign-out and sign-out-all also end a predecessor still inside its grace",
    cookie:
      "Cookie: HttpOnly, Secure, SameSite=Lax, Path=/, no Domain, __Host- name where possible; the token never appears in a body or URL; Cache-Control: no-store on responses that set it",
    proxyOnlyEarly:
      "The proxy is an early check only: every route handler, server action and protected page checks the session again (a header such as x-middleware-subrequest must not open anything)",
  },
  requests: {
    csrf:
      "State-changing API routes accept only application/json (415 otherwise) and refuse any Origin other than APP_URL's (403), a same-site sibling and Origin: null included, and a cross-site Sec-Fetch-Site or Referer. Sign-in and sign-up are covered too (login CSRF). Server actions keep Next.js's origin check. No CORS headers for foreign origins",
    nextParam: "?next= after sign-in only leads to a same-site path",
    schemas: "Strict request schemas: unknown fields refused or ignored, never stored; no prototype pollution",
    badInput:
      "Every bad input → 4xx with a stable code; no 500, no stack trace, no SQL text, no version banner. Unsupported methods → 405, unknown /api routes → JSON 404, oversized headers → 431",
    headers:
      "Security headers on pages: CSP (object-src 'none', base-uri 'none', frame-ancestors 'none'), X-Content-Type-Options: nosniff, Referrer-Policy (no-referrer on token pages), COOP, HSTS when served over https; no X-Powered-By",
  },
  tokens: {
    secrecy:
      "256-bit random, stored only as a SHA-256 hash, compared in constant time, single use (also under concurrent use: exactly one wins), bound to user, purpose and (verification) the address sent to",
    expiry:
      "Verification expires after 24 h, reset after 30 min (configurable). A new token of the same purpose supersedes older ones; a password change or account deletion voids outstanding reset tokens",
    links: "Links are built from APP_URL, never from Host / X-Forwarded-Host",
    getDoesNotConsume: "A GET of a link never consumes the token; the page confirms with a POST",
    changedNotice: 'A "your password was changed" notice is sent after a change or reset',
  },
  sensitive: {
    verifiedEmail:
      "API key creation (and every later sensitive action) requires a verified e-mail, read from the database, not from a claim in the cookie; 403 EMAIL_NOT_VERIFIED with no side effect otherwise",
    reauthentication: "Account deletion requires the password; password change requires the current one",
  },
  atRest: {
    secrets:
      "No password, token or API-key secret is stored or logged in plain text; auth events (sign-in success/failure, revocations, resets) are recorded without secrets",
  },
} as const;
