import { EmailNotVerified, NotFound } from "../../domain/shared/domain-error";
import type { User } from "../../domain/identity/user";
import { fail, ok, type Result } from "../../domain/shared/result";
import { Forbidden } from "../../domain/team/team-errors";
import type { BillingStores } from "./billing-stores";

export interface BillingActor {
  readonly userId: string;
  readonly teamId: string;
}

export type GateRefusal = NotFound | Forbidden | EmailNotVerified;

/**
 * The one gate in front of spending money for a team (checkout and portal): a member of the team (to
 * anyone else it does not exist), its owner, with a verified address read from the database (not
 * from the session), and fresh authentication. Nothing happens at the provider before it passes.
 */
export async function passBillingGate(stores: BillingStores, actor: BillingActor): Promise<Result<{ user: User; teamName: string }, GateRefusal>> {
  const membership = await stores.teams.findMembership(actor.teamId, actor.userId);
  if (!membership) return fail(new NotFound("Team"));
  if (membership.role !== "owner") return fail(new Forbidden("Only an owner can manage the team's billing."));
  const team = await stores.teams.findById(actor.teamId);
  const user = await stores.users.findById(actor.userId);
  if (!team || !user) return fail(new NotFound("Team"));
  if (!user.emailVerified) return fail(new EmailNotVerified());
  // step-up: wired at merge — the fresh-authentication check (a recent step-up of this session) goes
  // here, the one place checkout and portal pass through; its refusal joins GateRefusal.
  return ok({ user, teamName: team.name });
}
