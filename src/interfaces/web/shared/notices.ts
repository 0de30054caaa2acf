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
  "passkey-added": { tone: "success", text: "Your passkey was added. You can now sign in with it, without your password." },
  "passkey-removed": { tone: "success", text: "The passkey was removed. It can no longer be used to sign in." },
  "passkey-not-found": { tone: "error", text: "That passkey no longer exists; it may have been removed already." },
  "api-key-not-found": { tone: "error", text: "That API key no longer exists; it may have been revoked already." },
  "password-changed": { tone: "success", text: "Your password was changed. Your other sessions were signed out." },
  "email-verified": { tone: "success", text: "Thank you: your e-mail address is verified." },
  "email-changed": { tone: "success", text: "Your e-mail address is changed. Sign in with the new one from now on." },
  "device-revoked": { tone: "success", text: "The device was signed out. Requests using its token are now refused." },
  "device-not-found": { tone: "error", text: "That device no longer exists; it may have been signed out already." },
  "rate-limited": { tone: "error", text: "Too many attempts. Wait a few minutes and try again." },
  "team-created": { tone: "success", text: "Team created. You are its owner: invite people below." },
  "team-renamed": { tone: "success", text: "The team was renamed." },
  "team-deleted": { tone: "success", text: "The team was deleted, with its memberships and invitations." },
  "team-left": { tone: "success", text: "You left the team." },
  "team-not-found": { tone: "error", text: "That team does not exist, or you are not a member of it." },
  "team-name-invalid": { tone: "error", text: "Name the team in 1 to 100 characters, without control characters." },
  "team-forbidden": { tone: "error", text: "Your role in this team does not allow that. Ask an owner of the team." },
  "team-last-owner": { tone: "error", text: "A team always keeps at least one owner. Make another member an owner first." },
  "invitation-sent": { tone: "success", text: "Invitation sent. The link works for a limited time and only once." },
  "invitation-revoked": { tone: "success", text: "The invitation was revoked; its link no longer works." },
  "invitation-not-found": { tone: "error", text: "That invitation no longer exists; it may have been used or revoked already." },
  "invitation-email-invalid": { tone: "error", text: "Enter the address to invite, like name@example.com." },
  "invitation-role-invalid": { tone: "error", text: "Choose a role: owner, admin or member." },
  "invitation-email-look-alike": {
    tone: "error",
    text: "That address looks like the address of an existing account, with some letters from another alphabet. Type it again.",
  },
  "invitation-already-member": { tone: "error", text: "That person is already a member of the team." },
  "invitation-needs-verified-email": { tone: "error", text: "Verify your e-mail address before inviting people: open the link we sent you, or ask for a new one." },
  "invitation-accepted": { tone: "success", text: "Welcome: you joined the team." },
  "invitation-declined": { tone: "success", text: "You declined the invitation." },
  "role-changed": { tone: "success", text: "The member's role was changed." },
  "member-removed": { tone: "success", text: "The member was removed from the team." },
  "mfa-disabled": { tone: "success", text: "Two-step verification is off. We sent you an e-mail about it." },
  "mfa-already-on": { tone: "info", text: "Two-step verification is already on." },
  "mfa-sign-in-expired": { tone: "error", text: "That sign-in expired or was already used. Enter your e-mail and password again." },
  "billing-checkout-done": { tone: "success", text: "Thank you: the payment went through. The plan below changes as soon as the payment provider confirms it." },
  "billing-checkout-canceled": { tone: "info", text: "Checkout was cancelled. Nothing was charged." },
  "billing-updated": { tone: "success", text: "The subscription was updated." },
  "billing-forbidden": { tone: "error", text: "Only an owner of the team can manage its billing." },
  "billing-needs-verified-email": { tone: "error", text: "Verify your e-mail address before managing billing: open the link we sent you, or ask for a new one." },
  "billing-already-subscribed": { tone: "error", text: "This team already has a subscription. Manage it instead of starting a new one." },
  "billing-no-account": { tone: "error", text: "This team has no billing account yet. Upgrade first." },
  "billing-plan-invalid": { tone: "error", text: "There is no such plan. Choose Pro." },
  "billing-unavailable": { tone: "error", text: "The payment provider could not be reached. Nothing was charged; try again in a moment." },
  "billing-not-configured": { tone: "error", text: "Billing is not set up on this server." },
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
