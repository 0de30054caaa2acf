import Link from "next/link";
import { notFound } from "next/navigation";
import { NoticeBanner } from "../../../_components/notice-banner";
import { SubmitButton } from "../../../_components/submit-button";
import {
  changeMemberRoleAction,
  deleteTeamAction,
  inviteMemberAction,
  removeMemberAction,
  renameTeamAction,
  revokeInvitationAction,
} from "../../../../../src/interfaces/web/teams/actions";
import { hasProBadge } from "../../../../../src/interfaces/web/billing/page-data";
import { formatDateTime } from "../../../../../src/interfaces/web/shared/format";
import { noticeFor } from "../../../../../src/interfaces/web/shared/notices";
import { requireViewer } from "../../../../../src/interfaces/web/shared/session";
import { grantableRoles, teamNameMaxLength, teamPageOf } from "../../../../../src/interfaces/web/teams/page-data";

export const metadata = { title: "Team" };

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function TeamPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { id } = await params;
  const viewer = await requireViewer(`/dashboard/teams/${encodeURIComponent(id)}`);
  const notice = noticeFor((await searchParams).notice);
  const team = await teamPageOf(viewer, id);
  if (!team) notFound();
  const pro = await hasProBadge(viewer, team.id);
  const roles = grantableRoles(team.role);
  const isOwner = team.role === "owner";
  return (
    <>
      <p>
        <Link href="/dashboard/teams">← All teams</Link>
      </p>
      <h1>
        {team.name}
        {pro ? (
          <span className="badge" data-testid="pro-badge">
            Pro
          </span>
        ) : null}
      </h1>
      <p className="lead">
        Your role: <strong>{team.role}</strong> · created {formatDateTime(team.createdAt)} ·{" "}
        <Link href={`/dashboard/teams/${encodeURIComponent(team.id)}/billing`}>Billing</Link>
      </p>
      <NoticeBanner notice={notice} />

      <section className="panel" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <ul className="item-list" aria-label="Members">
          {team.members.map((member) => (
            <li key={member.userId} data-testid="member-row">
              <div className="item-main">
                <div className="item-title">
                  {member.email}
                  {member.you ? " (you)" : ""}
                </div>
                <div className="item-meta">
                  {member.role} · joined {formatDateTime(member.joinedAt)}
                </div>
              </div>
              {roles.length > 0 && !member.you && (isOwner || member.role !== "owner") ? (
                <form action={changeMemberRoleAction} className="inline-form">
                  <input type="hidden" name="teamId" value={team.id} />
                  <input type="hidden" name="memberId" value={member.userId} />
                  <label htmlFor={`role-${member.userId}`} className="visually-hidden">
                    Role of {member.email}
                  </label>
                  <select id={`role-${member.userId}`} name="role" defaultValue={member.role}>
                    {roles.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                  <SubmitButton variant="secondary" pendingLabel="Changing…">
                    Change role<span className="visually-hidden"> of {member.email}</span>
                  </SubmitButton>
                </form>
              ) : null}
              {member.you || (roles.length > 0 && (isOwner || member.role !== "owner")) ? (
                <form action={removeMemberAction}>
                  <input type="hidden" name="teamId" value={team.id} />
                  <input type="hidden" name="memberId" value={member.userId} />
                  <SubmitButton variant="danger" pendingLabel={member.you ? "Leaving…" : "Removing…"}>
                    {member.you ? "Leave team" : "Remove"}
                    {member.you ? null : <span className="visually-hidden"> {member.email}</span>}
                  </SubmitButton>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {team.invitations ? (
        <section className="panel" aria-labelledby="invite-title">
          <h2 id="invite-title">Invite someone</h2>
          {viewer.user.emailVerified ? (
            <form action={inviteMemberAction} className="form">
              <input type="hidden" name="teamId" value={team.id} />
              <div className="field">
                <label htmlFor="invite-email">E-mail address</label>
                <input id="invite-email" name="email" type="email" required autoComplete="off" />
              </div>
              <div className="field">
                <label htmlFor="invite-role">Role</label>
                <select id="invite-role" name="role" defaultValue="member">
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <SubmitButton pendingLabel="Sending invitation…">Send invitation</SubmitButton>
              </div>
            </form>
          ) : (
            <div className="alert alert-warning" data-code="EMAIL_NOT_VERIFIED">
              <p>
                <strong>Inviting is blocked until you verify your e-mail address.</strong> Open the link we sent to {viewer.user.email},
                or send a new one from your security settings.
              </p>
            </div>
          )}

          <h3>Pending invitations</h3>
          {team.invitations.length === 0 ? (
            <p className="empty">No pending invitations.</p>
          ) : (
            <ul className="item-list" aria-label="Pending invitations">
              {team.invitations.map((invitation) => (
                <li key={invitation.id} data-testid="invitation-row">
                  <div className="item-main">
                    <div className="item-title">{invitation.email}</div>
                    <div className="item-meta">
                      {invitation.role} · link works until {formatDateTime(invitation.expiresAt)}
                    </div>
                  </div>
                  {roles.includes(invitation.role) ? (
                    <form action={inviteMemberAction}>
                      <input type="hidden" name="teamId" value={team.id} />
                      <input type="hidden" name="email" value={invitation.email} />
                      <input type="hidden" name="role" value={invitation.role} />
                      <SubmitButton variant="secondary" pendingLabel="Sending…">
                        Resend<span className="visually-hidden"> the invitation to {invitation.email}</span>
                      </SubmitButton>
                    </form>
                  ) : null}
                  <form action={revokeInvitationAction}>
                    <input type="hidden" name="teamId" value={team.id} />
                    <input type="hidden" name="invitationId" value={invitation.id} />
                    <SubmitButton variant="danger" pendingLabel="Revoking…">
                      Revoke<span className="visually-hidden"> the invitation to {invitation.email}</span>
                    </SubmitButton>
                  </form>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {team.activity ? (
        <section className="panel" aria-labelledby="activity-title">
          <h2 id="activity-title">Invitation activity</h2>
          {team.activity.length === 0 ? (
            <p className="empty">No invitations yet.</p>
          ) : (
            <ul className="item-list" aria-label="Invitation activity">
              {team.activity.map((entry) => (
                <li key={entry.id}>
                  <div className="item-main">
                    <div className="item-title">{entry.text}</div>
                    <div className="item-meta">{formatDateTime(entry.at)}</div>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {isOwner ? (
        <>
          <section className="panel" aria-labelledby="rename-title">
            <h2 id="rename-title">Rename the team</h2>
            <form action={renameTeamAction} className="form">
              <input type="hidden" name="teamId" value={team.id} />
              <div className="field">
                <label htmlFor="rename-team">Team name</label>
                <input id="rename-team" name="name" type="text" required maxLength={teamNameMaxLength} defaultValue={team.name} />
              </div>
              <div>
                <SubmitButton variant="secondary" pendingLabel="Renaming…">
                  Rename team
                </SubmitButton>
              </div>
            </form>
          </section>
          <section className="panel panel-danger" aria-labelledby="delete-team-title">
            <h2 id="delete-team-title">Delete the team</h2>
            <p>Every membership and pending invitation goes with it. This cannot be undone.</p>
            <form action={deleteTeamAction}>
              <input type="hidden" name="teamId" value={team.id} />
              <SubmitButton variant="danger" pendingLabel="Deleting…">
                Delete team
              </SubmitButton>
            </form>
          </section>
        </>
      ) : null}
    </>
  );
}
