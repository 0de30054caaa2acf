import type { MailTemplate, OutgoingMail } from "../../application/shared/ports/outbox.port";
import type { RenderedMail } from "./mailer";

export interface MailTemplatesOptions {
  /** Public origin of the application; the only source of links (never a request's Host). */
  readonly appUrl: string;
  readonly productName?: string;
  /** Shown to the reader so they know how long a link works. */
  readonly verifyTokenTtlSeconds?: number;
  readonly resetTokenTtlSeconds?: number;
}

/** A mail that can never be rendered (unknown template, missing token): retrying will not help. */
export class MailRenderError extends Error {
  override readonly name = "MailRenderError";
}

interface Content {
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  after: string[];
}

/** Renders the outbox's mails to text and HTML; every interpolated value is escaped in the HTML. */
export class MailTemplates {
  private readonly appUrl: string;
  /** " for Acme", or nothing when no product name is configured. */
  private readonly forProduct: string;

  constructor(private readonly options: MailTemplatesOptions) {
    let url: URL;
    try {
      url = new URL(options.appUrl);
    } catch {
      throw new MailRenderError("appUrl must be an absolute http(s) URL");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new MailRenderError("appUrl must be an absolute http(s) URL");
    this.appUrl = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
    this.forProduct = options.productName ? ` for ${options.productName}` : "";
  }

  /** The link a verification mail carries. */
  verifyEmailLink(token: string): string {
    return `${this.appUrl}/verify-email?token=${encodeURIComponent(token)}`;
  }

  /** The link a team invitation carries. */
  /** The link a change of address sends to the new address. */
  confirmEmailChangeLink(token: string): string {
    return `${this.appUrl}/confirm-email?token=${encodeURIComponent(token)}`;
  }

  invitationLink(token: string): string {
    return `${this.appUrl}/invite?token=${encodeURIComponent(token)}`;
  }

  /** The link a password-reset mail carries. */
  resetPasswordLink(token: string): string {
    return `${this.appUrl}/reset-password?token=${encodeURIComponent(token)}`;
  }

  /** A change to the second factor: the owner hears of it, so a stolen session cannot change it quietly. */
  private secondFactorNotice(template: "mfa-enabled" | "mfa-disabled" | "recovery-codes-regenerated"): Content {
    const what = {
      "mfa-enabled": ["Two-step verification was turned on", "Two-step verification was just turned on"],
      "mfa-disabled": ["Two-step verification was turned off", "Two-step verification was just turned off"],
      "recovery-codes-regenerated": ["New recovery codes were created", "New recovery codes were just created; the old ones no longer work"],
    }[template];
    return {
      subject: what[0],
      paragraphs: [
        `${what[1]} on your account${this.forProduct}.`,
        `If this was not you, reset your password at once and review your security settings: ${this.appUrl}/dashboard/security`,
      ],
      after: [],
    };
  }

  render(mail: OutgoingMail): RenderedMail {
    const content = this.content(mail.template, mail.params ?? {});
    return {
      to: mail.to,
      subject: content.subject,
      text: toText(content),
      html: toHtml(content),
      link: content.action?.url,
    };
  }

  private content(template: MailTemplate, params: Readonly<Record<string, string>>): Content {
    switch (template) {
      case "verify-email": {
        const url = this.verifyEmailLink(requireToken(template, params));
        return {
          subject: "Confirm your e-mail address",
          paragraphs: [`Please confirm your e-mail address${this.forProduct}.`],
          action: { label: "Confirm e-mail address", url },
          after: [
            `The link works for ${duration(this.options.verifyTokenTtlSeconds ?? 86400)} and only once.`,
            "If you did not create an account, you can ignore this e-mail.",
          ],
        };
      }
      case "password-reset": {
        const url = this.resetPasswordLink(requireToken(template, params));
        return {
          subject: "Reset your password",
          paragraphs: [`Someone asked to reset your password${this.forProduct}. If it was you, choose a new password here:`],
          action: { label: "Choose a new password", url },
          after: [
            `The link works for ${duration(this.options.resetTokenTtlSeconds ?? 1800)} and only once.`,
            "If you did not ask for this, ignore this e-mail: your password stays as it is.",
          ],
        };
      }
      case "password-changed":
        return {
          subject: "Your password was changed",
          paragraphs: [
            `Your password${this.forProduct} was just changed, and you were signed out on your other devices.`,
            `If this was not you, reset your password at once: ${this.appUrl}/forgot-password`,
          ],
          after: [],
        };
      case "team-invitation": {
        const url = this.invitationLink(requireToken(template, params));
        const team = params.teamName || "a team";
        const who = params.invitedBy ? `${params.invitedBy} invited you` : "You were invited";
        const expires = new Date(params.expiresAt ?? "");
        return {
          subject: `Join ${team}`,
          paragraphs: [`${who} to join the team ${team}${this.forProduct}.`],
          action: { label: "Open the invitation", url },
          after: [
            Number.isNaN(expires.getTime())
              ? "The link works only once."
              : `The link works until ${expires.toUTCString()} and only once.`,
            "If you do not know this team, you can ignore this e-mail.",
          ],
        };
      }
      case "mfa-enabled":
      case "mfa-disabled":
      case "recovery-codes-regenerated":
        return this.secondFactorNotice(template);
      case "passkey-added":
      case "passkey-removed": {
        const added = template === "passkey-added";
        const name = params.name ? `"${params.name}"` : "A passkey";
        return {
          subject: added ? "A passkey was added to your account" : "A passkey was removed from your account",
          paragraphs: [
            `${name} was just ${added ? "added to" : "removed from"} your account${this.forProduct}.`,
            `If this was not you, reset your password at once and review your passkeys: ${this.appUrl}/dashboard/security`,
          ],
          after: [],
        };
      }
      case "confirm-email-change": {
        const url = this.confirmEmailChangeLink(requireToken(template, params));
        return {
          subject: "Confirm your new e-mail address",
          paragraphs: [`Someone asked to use this address for an account${this.forProduct}. If it was you, confirm it here:`],
          action: { label: "Use this address", url },
          after: [
            `The link works for ${duration(this.options.verifyTokenTtlSeconds ?? 86400)} and only once. Until it is followed, the account keeps its old address.`,
            "If you did not ask for this, ignore this e-mail.",
          ],
        };
      }
      case "email-change-requested":
        return {
          subject: "A change of your e-mail address was requested",
          paragraphs: [
            `Someone signed in to your account${this.forProduct} asked to change its e-mail address to ${params.newEmail || "another address"}. The change happens only when that address confirms it.`,
            `If this was not you, change your password at once and sign out everywhere: ${this.appUrl}/dashboard/settings`,
          ],
          after: [],
        };
      default:
        throw new MailRenderError(`unknown mail template "${String(template)}"`);
    }
  }
}

function requireToken(template: string, params: Readonly<Record<string, string>>): string {
  const token = params.token;
  if (typeof token !== "string" || token.length === 0) throw new MailRenderError(`the ${template} mail has no token`);
  return token;
}

function duration(seconds: number): string {
  if (seconds % 86400 === 0) return plural(seconds / 86400, "day");
  if (seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}

function plural(n: number, unit: string): string {
  if (unit === "day" && n === 1) return "24 hours";
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

function toText(content: Content): string {
  const lines = [...content.paragraphs];
  if (content.action) lines.push(`${content.action.label}:\n${content.action.url}`);
  lines.push(...content.after);
  return `${lines.join("\n\n")}\n`;
}

function toHtml(content: Content): string {
  const p = (text: string) => `<p>${escapeHtml(text)}</p>`;
  const action = content.action
    ? `<p><a href="${escapeHtml(content.action.url)}">${escapeHtml(content.action.label)}</a></p>` +
      `<p>Or copy this address into your browser:<br>${escapeHtml(content.action.url)}</p>`
    : "";
  return [
    "<!doctype html>",
    '<html><head><meta charset="utf-8"><title>' + escapeHtml(content.subject) + "</title></head>",
    "<body>",
    ...content.paragraphs.map(p),
    action,
    ...content.after.map(p),
    "</body></html>",
  ]
    .filter(Boolean)
    .join("\n");
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
