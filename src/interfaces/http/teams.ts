import { NotFound } from "../../domain/shared/domain-error";
import type { Invitation } from "../../domain/team/invitation";
import type { TeamMember } from "../../domain/team/membership";
import type { Team } from "../../domain/team/team";
import { TOKENS } from "../../infrastructure/di";
import { requestContext } from "./shared/authenticate";
import { InvitationBody, RoleBody, TeamNameBody, TokenBody } from "./shared/dtos";
import { authenticated, body, failure, handler, type Handler, noBody, param, type RouteContext, signedIn } from "./shared/handler";
import { empty, json } from "./shared/responses";

/** What the API shows of a team, a member and an invitation: never a token or its hash. */
const presentTeam = (team: Team) => ({ id: team.id, name: team.name, createdAt: team.createdAt.toISOString() });
const presentMember = (m: TeamMember) => ({ userId: m.userId, email: m.email, role: m.role, joinedAt: m.joinedAt.toISOString() });
const presentInvitation = (i: Invitation) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
});

/** The `:id` of the route; a malformed one names no team of ours, like an unknown one. */
async function teamId(context: RouteContext | undefined): Promise<string | null> {
  return param(context, "id");
}

const teamNotFound = () => failure(new NotFound("Team"));

const createTeam = handler(async (request) => {
  const input = await body(request, TeamNameBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.CreateTeam).execute({ userId: who.user.id, name: input.name, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return json(201, { team: presentTeam(result.value.team), role: result.value.role });
  });
});

const listTeams = handler(async (request) =>
  authenticated(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.ListTeams).execute({ userId: who.user.id });
    if (!result.ok) return failure(result.error);
    return json(200, { teams: result.value.map(({ team, role }) => ({ id: team.id, name: team.name, role })) });
  }),
);

const getTeam = handler(async (request, context) =>
  authenticated(request, async (who, auth) => {
    const id = await teamId(context);
    if (!id) return teamNotFound();
    const result = await auth.resolve(TOKENS.GetTeam).execute({ userId: who.user.id, teamId: id });
    if (!result.ok) return failure(result.error);
    const { team, role, members, invitations } = result.value;
    return json(200, {
      team: presentTeam(team),
      role,
      members: members.map(presentMember),
      ...(invitations ? { invitations: invitations.map(presentInvitation) } : {}),
    });
  }),
);

const renameTeam = handler(async (request, context) => {
  const input = await body(request, TeamNameBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const id = await teamId(context);
    if (!id) return teamNotFound();
    const result = await auth.resolve(TOKENS.RenameTeam).execute({ userId: who.user.id, teamId: id, name: input.name });
    if (!result.ok) return failure(result.error);
    return json(200, { team: presentTeam(result.value) });
  });
});

const deleteTeam = handler(async (request, context) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const id = await teamId(context);
    if (!id) return teamNotFound();
    const result = await auth.resolve(TOKENS.DeleteTeam).execute({
      userId: who.user.id,
      sessionId: who.session.id,
      teamId: id,
      context: requestContext(request),
    });
    if (!result.ok) return failure(result.error);
    return empty(204);
  });
});

const inviteMember = handler(async (request, context) => {
  const input = await body(request, InvitationBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const id = await teamId(context);
    if (!id) return teamNotFound();
    const result = await auth.resolve(TOKENS.InviteMember).execute({
      userId: who.user.id,
      teamId: id,
      email: input.email,
      role: input.role,
      context: requestContext(request),
    });
    if (!result.ok) return failure(result.error);
    const { id: invitationId, email, role, expiresAt } = presentInvitation(result.value);
    return json(201, { invitation: { id: invitationId, email, role, expiresAt } });
  });
});

const revokeInvitation = handler(async (request, context) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const id = await teamId(context);
    const invitationId = await param(context, "invitationId");
    if (!id) return teamNotFound();
    if (!invitationId) return failure(new NotFound("Invitation"));
    const result = await auth
      .resolve(TOKENS.RevokeInvitation)
      .execute({ userId: who.user.id, teamId: id, invitationId, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return empty(204);
  });
});

const acceptInvitation = handler(async (request) => {
  const input = await body(request, TokenBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.AcceptInvitation).execute({ userId: who.user.id, token: input.token, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return json(200, { team: presentTeam(result.value.team), role: result.value.role });
  });
});

const declineInvitation = handler(async (request) => {
  const input = await body(request, TokenBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const result = await auth.resolve(TOKENS.DeclineInvitation).execute({ userId: who.user.id, token: input.token, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return empty(204);
  });
});

const changeMemberRole = handler(async (request, context) => {
  const input = await body(request, RoleBody);
  if (input instanceof Response) return input;
  return signedIn(request, async (who, auth) => {
    const id = await teamId(context);
    const memberId = await param(context, "userId");
    if (!id) return teamNotFound();
    if (!memberId) return failure(new NotFound("Member"));
    const result = await auth
      .resolve(TOKENS.ChangeMemberRole)
      .execute({ userId: who.user.id, teamId: id, memberId, role: input.role, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return json(200, { member: { userId: result.value.userId, role: result.value.role, joinedAt: result.value.joinedAt.toISOString() } });
  });
});

const removeMember = handler(async (request, context) => {
  const refused = await noBody(request);
  if (refused) return refused;
  return signedIn(request, async (who, auth) => {
    const id = await teamId(context);
    const memberId = await param(context, "userId");
    if (!id) return teamNotFound();
    if (!memberId) return failure(new NotFound("Member"));
    const result = await auth.resolve(TOKENS.RemoveMember).execute({ userId: who.user.id, teamId: id, memberId, context: requestContext(request) });
    if (!result.ok) return failure(result.error);
    return empty(204);
  });
});

/** The team routes: teams, members and roles, invitations. */
export const teamHandlers = {
  createTeam,
  listTeams,
  getTeam,
  renameTeam,
  deleteTeam,
  inviteMember,
  revokeInvitation,
  acceptInvitation,
  declineInvitation,
  changeMemberRole,
  removeMember,
} satisfies Record<string, Handler>;
