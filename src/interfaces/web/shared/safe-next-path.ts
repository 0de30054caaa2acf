/**
 * Where to go after signing in. `next` comes from the query string, so it is attacker-controlled:
 * only a path on this site is ever returned, never an absolute URL, a protocol-relative `//host`,
 * a backslash form that browsers read as `//host` (`/\host`), or an encoded variant of those.
 * Anything doubtful falls back to the dashboard rather than being repaired.
 */
export const AFTER_SIGN_IN = "/dashboard";

const MAX_LENGTH = 2048;
// Pages where landing after sign-in makes no sense (or would loop back to the form).
const NOT_A_DESTINATION = /^\/(sign-in|sign-up|reauthenticate)(\/|$|\?|#)/;
const BASE = "http://same-site.invalid";

function decodeRepeatedly(value: string): string | null {
  let current = value;
  // Percent-encoding can be layered (`%252F`); peel until stable, bounded so it cannot spin.
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

export function safeNextPath(raw: unknown, fallback: string = AFTER_SIGN_IN): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_LENGTH) return fallback;
  const decoded = decodeRepeatedly(raw);
  if (decoded === null) return fallback;
  for (const candidate of [raw, decoded]) {
    if (!candidate.startsWith("/")) return fallback;
    if (candidate.startsWith("//")) return fallback;
    // Browsers treat `\` as `/` in special URLs, and strip tabs/newlines before parsing.
    if (candidate.includes("\\")) return fallback;
    if (/[\u0000-\u001f\u007f]/.test(candidate)) return fallback;
  }
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  if (NOT_A_DESTINATION.test(url.pathname + "/")) return fallback;
  return path;
}

/** `/sign-in?next=…` for a path the visitor asked for; the path is checked again when it is used. */
export function signInUrlFor(path: string): string {
  const next = safeNextPath(path, "");
  return next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in";
}

/** `/reauthenticate?next=…`: the step-up page, which comes back to `path` once the password is confirmed. */
export function reauthenticateUrlFor(path: string): string {
  const next = safeNextPath(path, "");
  return next ? `/reauthenticate?next=${encodeURIComponent(next)}` : "/reauthenticate";
}
