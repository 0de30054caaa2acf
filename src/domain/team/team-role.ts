import { Forbidden, LastOwner } from "./team-errors";
import { fail, ok, type Result } from "../shared/result";

export const TEAM_ROLES = ["owner", "admin", "member"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export function isTeamRole(value: unknown): value is TeamRole {
  return typeof value === "string" && (TEAM_ROLES as readonly string[]).includes(value);
}

/**
 * The role ceiling. Owners do everything; admins manage members and admins but never touch the
 * owner role (neither grant it nor take it away); members manage nobody but themselves.
 */
export const TeamRules = {
  mayInvite(actor: TeamRole, invited: TeamRole): Result<void, Forbidden> {
    if (actor === "owner") return ok();
    if (actor === "admin" && invited !== "owner") return ok();
    return fail(
      new Forbidden(actor === "admin" ? "Only an owner can invite another owner." : "Only owners and admins can invite people."),
    );
  },

  mayChangeRole(actor: TeamRole, from: TeamRole, to: TeamRole): Result<void, Forbidden> {
    if (actor === "owner") return ok();
    if (actor === "admin" && from !== "owner" && to !== "owner") return ok();
    return fail(
      new Forbidden(actor === "admin" ? "Only an owner can grant or take the owner role." : "Only owners and admins can change roles."),
    );
  },

  /** Anyone may leave (remove themselves); removing someone else follows the ceiling. */
  mayRemove(actor: { userId: string; role: TeamRole }, target: { userId: string; role: TeamRole }): Result<void, Forbidden> {
    if (actor.userId === target.userId || actor.role === "owner") return ok();
    if (actor.role === "admin" && target.role !== "owner") return ok();
    return fail(
      new Forbidden(actor.role === "admin" ? "Only an owner can remove an owner." : "Only owners and admins can remove members."),
    );
  },

  /**
   * The last owner can never be removed, demoted or leave. `owners` must be counted while the team is
   * locked, so two owners demoting each other at once cannot both see two owners.
   */
  keepsAnOwner(owners: number, target: TeamRole, to: TeamRole | null): Result<void, LastOwner> {
    if (target === "owner" && to !== "owner" && owners <= 1) return fail(new LastOwner());
    return ok();
  },

  /** Owners and admins see the team's pending invitations and manage them. */
  managesInvitations(actor: TeamRole): boolean {
    return actor === "owner" || actor === "admin";
  },
};
