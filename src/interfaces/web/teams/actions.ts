"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { DomainError } from "../../../domain/shared/domain-error";
import { textField } from "../shared/form-state";
import { forgetLinkToken } from "../shared/link-token-store";
import { withNotice, type NoticeCode } from "../shared/notices";
import { redirectIfStale, requireActionViewer } from "../shared/session";
import { useCase } from "../shared/use-cases";

/*
 * Server actions of the team pages and the invitation page. Plain forms that answer with a redirect
 * and a notice, so every one works without JavaScript; each authenticates the session again through
 * the application layer (requireActionViewer) before doing anything.
 */

const TEAMS = "/dashboard/teams";
const teamPage = (teamId: string) => `${TEAMS}/${encodeURIComponent(teamId)}`;

/** The notice that tells a person what went wrong and what to do. */
function noticeOf(error: DomainError): NoticeCode {
  switch (error.code) {
    case "FORBIDDEN":
      return "team-forbidden";
    case "LAST_OWNER":
      return "team-last-owner";
    case "ALREADY_MEMBER":
      return "invitation-already-member";
    case "EMAIL_NOT_VERIFIED":
      return "invitation-needs-verified-email";
    case "INVALID_EMAIL":
      return "invitation-email-invalid";
    case "LOOK_ALIKE_EMAIL":
      return "invitation-email-look-alike";
    case "RATE_LIMITED":
      return "rate-limited";
    case "VALIDATION_FAILED":
      return "role" in ((error as { fields?: object }).fields ?? {}) ? "invitation-role-invalid" : "team-name-invalid";
    default:
      return "team-not-found";
  }
}

function done(path: string, code: NoticeCode): never {
  revalidatePath(TEAMS, "layout");
  redirect(withNotice(path, code));
}

export async function createTeamAction(form: FormData): Promise<void> {
  const viewer = await requireActionViewer(TEAMS);
  const result = await (await useCase("createTeam")).execute({ userId: viewer.user.id, name: textField(form, "name", 200), context: viewer.context });
  if (!result.ok) done(TEAMS, noticeOf(result.error));
  done(teamPage(result.value.team.id), "team-created");
}

export async function renameTeamAction(form: FormData): Promise<void> {
  const teamId = textField(form, "teamId", 256);
  const viewer = await requireActionViewer(teamPage(teamId));
  const result = await (await useCase("renameTeam")).execute({ userId: viewer.user.id, teamId, name: textField(form, "name", 200) });
  done(result.ok || result.error.code !== "NOT_FOUND" ? teamPage(teamId) : TEAMS, result.ok ? "team-renamed" : noticeOf(result.error));
}

export async function deleteTeamAction(form: FormData): Promise<void> {
  const teamId = textField(form, "teamId", 256);
  const viewer = await requireActionViewer(teamPage(teamId));
  const result = await (await useCase("deleteTeam")).execute({ userId: viewer.user.id, sessionId: viewer.session.id, teamId, context: viewer.context });
  if (!result.ok) redirectIfStale(result.error, teamPage(teamId));
  if (!result.ok) done(result.error.code === "NOT_FOUND" ? TEAMS : teamPage(teamId), noticeOf(result.error));
  done(TEAMS, "team-deleted");
}

/** Inviting, and re-sending: inviting the same address again mails a new link and voids the old one. */
export async function inviteMemberAction(form: FormData): Promise<void> {
  const teamId = textField(form, "teamId", 256);
  const viewer = await requireActionViewer(teamPage(teamId));
  const result = await (await useCase("inviteMember")).execute({
    userId: viewer.user.id,
    teamId,
    email: textField(form, "email", 1024),
    role: textField(form, "role", 32),
    context: viewer.context,
  });
  done(result.ok || result.error.code !== "NOT_FOUND" ? teamPage(teamId) : TEAMS, result.ok ? "invitation-sent" : noticeOf(result.error));
}

export async function revokeInvitationAction(form: FormData): Promise<void> {
  const teamId = textField(form, "teamId", 256);
  const viewer = await requireActionViewer(teamPage(teamId));
  const invitationId = textField(form, "invitationId", 256);
  const result = await (await useCase("revokeInvitation")).execute({ userId: viewer.user.id, teamId, invitationId, context: viewer.context });
  if (!result.ok && result.error.code === "NOT_FOUND") done(teamPage(teamId), "invitation-not-found");
  done(teamPage(teamId), result.ok ? "invitation-revoked" : noticeOf(result.error));
}

export async function changeMemberRoleAction(form: FormData): Promise<void> {
  const teamId = textField(form, "teamId", 256);
  const viewer = await requireActionViewer(teamPage(teamId));
  const result = await (await useCase("changeMemberRole")).execute({
    userId: viewer.user.id,
    teamId,
    memberId: textField(form, "memberId", 256),
    role: textField(form, "role", 32),
    context: viewer.context,
  });
  done(teamPage(teamId), result.ok ? "role-changed" : noticeOf(result.error));
}

/** Removing someone, or leaving (removing yourself). */
export async function removeMemberAction(form: FormData): Promise<void> {
  const teamId = textField(form, "teamId", 256);
  const viewer = await requireActionViewer(teamPage(teamId));
  const memberId = textField(form, "memberId", 256);
  const result = await (await useCase("removeMember")).execute({ userId: viewer.user.id, teamId, memberId, context: viewer.context });
  if (!result.ok) done(teamPage(teamId), noticeOf(result.error));
  if (memberId === viewer.user.id) done(TEAMS, "team-left");
  done(teamPage(teamId), "member-removed");
}

/** The invitation page's buttons. The refusals are shown on the page itself (`?refused=<code>`). */
export async function acceptInvitationAction(form: FormData): Promise<void> {
  const viewer = await requireActionViewer("/invite");
  const result = await (await useCase("acceptInvitation")).execute({ userId: viewer.user.id, token: textField(form, "token", 512), context: viewer.context });
  if (!result.ok) {
    if (result.error.code === "INVALID_TOKEN") await forgetLinkToken("invite");
    redirect(`/invite?refused=${encodeURIComponent(result.error.code)}`);
  }
  await forgetLinkToken("invite");
  done(teamPage(result.value.team.id), "invitation-accepted");
}

export async function declineInvitationAction(form: FormData): Promise<void> {
  const viewer = await requireActionViewer("/invite");
  const result = await (await useCase("declineInvitation")).execute({ userId: viewer.user.id, token: textField(form, "token", 512), context: viewer.context });
  await forgetLinkToken("invite");
  if (!result.ok) redirect(`/invite?refused=${encodeURIComponent(result.error.code)}`);
  done(TEAMS, "invitation-declined");
}
