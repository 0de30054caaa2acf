import { EmailNotVerified, NotFound, type ReauthenticationRequired } from "../../domain/shared/domain-error";
import type { User } from "../../domain/identity/user";
import { fail, ok, type Result } from "../../domain/shared/result";
import { Forbidden } from "../../domain/team/team-errors";
import type { FreshAuthentication } from "../shared/services/fresh-authentication";
import type { BillingStores } from "./billing-stores";

export interface BillingActor {
  readonly userId: string;
  /** The session asking: spending money takes a fresh authentication (step-up). */
  readonly sessionId: string;
  readonly teamId: string;
}

export type GateRefusal = NotFound | Forbidden | EmailNotVerified | ReauthenticationRequired;

/**
 * The one gate in front of spending money for a team (checkout and portal): a member of the team (to
 * anyone else it does not exist), its owner, with a verified address read from the database (not
 * from the session), and fresh authentication. Nothing happens at the provider before it passes.
 */
export async function passBillingGate(
  stores: BillingStores,
  actor: BillingActor,
  fresh: FreshAuthentication,
  now: Date,
): Promise<Result<{ user: User; teamName: string }, GateRefusal>> {
  const membership = await stores.teams.findMembership(actor.teamId, actor.userId);
  if (!membership) return fail(new NotFound("Team"));
  if (membership.role !== "owner") return fail(new Forbidden("Only an owner can manage the team's billing."));
  const team = await stores.teams.findById(actor.teamId);
  const user = await stores.users.findById(actor.userId);
  if (!team || !user) return fail(new NotFound("Team"));
  if (!user.emailVerified) return fail(new EmailNotVerified());
  const freshness = await fresh.require(stores.sessions, actor.sessionId, now);
  if (!freshness.ok) return freshness;
  return ok({ user, teamName: team.name });
}
