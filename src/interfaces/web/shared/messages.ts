import type { DomainError } from "../../../domain/shared/domain-error";

/** "30 seconds", "2 minutes", "1 hour": how long to wait, in plain words. */
export function describeWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? "" : "s"}`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

function retryAfterOf(error: DomainError): number | undefined {
  const value = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof value === "number" && Number.isFinite(value) ? Math.max(1, Math.ceil(value)) : undefined;
}

/**
 * The sentence a person reads for a refusal. Domain messages are already written for people; the
 * few that need context on a page (what to do next, when to retry) are reworded here.
 */
export function messageFor(error: DomainError): string {
  switch (error.code) {
    case "INVALID_CREDENTIALS":
      return "The e-mail address or password is wrong. Check both and try again.";
    case "RATE_LIMITED": {
      const wait = retryAfterOf(error);
      return wait ? `Too many attempts. Wait ${describeWait(wait)} and try again.` : "Too many attempts. Wait a moment and try again.";
    }
    case "ACCOUNT_LOCKED":
      return "Too many failed sign-ins for this account. Reset your password to sign in again.";
    case "INVALID_TOKEN":
      return "This link is invalid, was already used or has expired. Ask for a new one.";
    case "UNAUTHENTICATED":
      return "Your session has ended. Sign in again.";
    case "EMAIL_NOT_VERIFIED":
      return "Verify your e-mail address first: open the link we sent you, or ask for a new one.";
    case "EMAIL_TAKEN":
      return "An account with this e-mail address already exists. Sign in instead, or reset your password if you forgot it.";
    default:
      return error.message;
  }
}

/**
 * The refusal of a form that sends an e-mail (a new verification link). "Too many attempts" would
 * read as if the person had done something wrong; what happened is that links were already sent.
 */
export function mailRefusalFor(error: DomainError): string {
  if (error.code !== "RATE_LIMITED") return messageFor(error);
  const wait = retryAfterOf(error);
  return `We have already sent several links. Wait ${wait ? describeWait(wait) : "a while"} before asking for another.`;
}

export { retryAfterOf };
