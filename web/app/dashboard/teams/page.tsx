import Link from "next/link";
import { NoticeBanner } from "../../_components/notice-banner";
import { SubmitButton } from "../../_components/submit-button";
import { createTeamAction } from "../../../../src/interfaces/web/teams/actions";
import { noticeFor } from "../../../../src/interfaces/web/shared/notices";
import { requireViewer } from "../../../../src/interfaces/web/shared/session";
import { teamNameMaxLength, teamsOf } from "../../../../src/interfaces/web/teams/page-data";

export const metadata = { title: "Teams" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function TeamsPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireViewer("/dashboard/teams");
  const params = await searchParams;
  const teams = await teamsOf(viewer);
  return (
    <>
      <h1>Teams</h1>
      <NoticeBanner notice={noticeFor(params.notice)} />

      <section className="panel" aria-labelledby="teams-title">
        <h2 id="teams-title">Your teams</h2>
        {teams.length === 0 ? (
          <p className="empty">You are not in any team yet. Create one below, or open an invitation you were sent.</p>
        ) : (
          <ul className="item-list" aria-label="Teams">
            {teams.map((team) => (
              <li key={team.id} data-testid="team-row">
                <div className="item-main">
                  <div className="item-title">
                    <Link href={`/dashboard/teams/${encodeURIComponent(team.id)}`}>{team.name}</Link>
                  </div>
                  <div className="item-meta">Your role: {team.role}</div>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel" aria-labelledby="create-team-title">
        <h2 id="create-team-title">Create a team</h2>
        <form action={createTeamAction} className="form">
          <div className="field">
            <label htmlFor="team-name">Team name</label>
            <input id="team-name" name="name" type="text" required maxLength={teamNameMaxLength} autoComplete="off" />
          </div>
          <div>
            <SubmitButton pendingLabel="Creating team…">Create team</SubmitButton>
          </div>
        </form>
      </section>
    </>
  );
}
