/**
 * One-line confirmations carried across a redirect as `?notice=<code>`. Only known codes are shown,
 * from this table: text from the query string is never echoed onto a page.
 */
const NOTICES = {
  "signed-out": { tone: "success", text: "You are signed out." },
  "signed-out-everywhere": { tone: "success", text: "You are signed out on every device." },
  "password-reset": { tone: "success", text: "Your password was changed and every session was signed out. Sign in with your new password." },
  "account-deleted": { tone: "success", text: "Your account and everything in it were deleted." },
  "session-revoked": { tone: "success", text: "That session was signed out." },
  "session-not-found": { tone: "error", text: "That session no longer exists; it may have ended already." },
  "api-key-revoked": { tone: "success", text: "The API key was revoked. Requests using it are now refused." },
  "api-key-not-found": { tone: "error", text: "That API key no longer exists; it may have been revoked already." },
  "password-changed": { tone: "success", text: "Your password was changed. Your other sessions were signed out." },
  "email-verified": { tone: "success", text: "Thank you: your e-mail address is verified." },
  "device-revoked": { tone: "success", text: "The device was signed out. Requests using its token are now refused." },
  "device-not-found": { tone: "error", text: "That device no longer exists; it may have been signed out already." },
  "rate-limited": { tone: "error", text: "Too many attempts. Wait a few minutes and try again." },
} as const satisfies Record<string, { tone: "success" | "error" | "info"; text: string }>;

export type NoticeCode = keyof typeof NOTICES;

export interface Notice {
  readonly tone: "success" | "error" | "info";
  readonly text: string;
}

export function noticeFor(code: unknown): Notice | null {
  const value = Array.isArray(code) ? code[0] : code;
  if (typeof value !== "string" || !Object.prototype.hasOwnProperty.call(NOTICES, value)) return null;
  return NOTICES[value as NoticeCode];
}

export function withNotice(path: string, code: NoticeCode): string {
  return `${path}${path.includes("?") ? "&" : "?"}notice=${code}`;
}
