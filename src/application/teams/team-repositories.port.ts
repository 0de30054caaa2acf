import type { AuthEvent } from "../../domain/shared/auth-event";
import type { Invitation } from "../../domain/team/invitation";
import type { Membership, TeamMember } from "../../domain/team/membership";
import type { Team } from "../../domain/team/team";
import type { TeamRole } from "../../domain/team/team-role";
import type { AlreadyMember } from "../../domain/team/team-errors";
import type { Result } from "../../domain/shared/result";

export interface TeamRepository {
  insert(team: Team): Promise<void>;
  findById(teamId: string): Promise<Team | null>;
  /**
   * Reads the team and locks its row until the unit of work ends (SELECT … FOR NO KEY UPDATE), so the
   * changes to its owners are serialised: two owners demoting each other at once cannot both see two
   * owners. Call first inside a unit of work; outside one it is a plain read.
   */
  lock(teamId: string): Promise<Team | null>;
  rename(teamId: string, name: string): Promise<void>;
  /** Removes the team with its memberships and invitations. */
  delete(teamId: string): Promise<void>;

  /** Uniqueness of (team, user) is the store's, not a check-then-insert. */
  addMember(membership: Membership): Promise<Result<void, AlreadyMember>>;
  findMembership(teamId: string, userId: string): Promise<Membership | null>;
  /** Oldest member first, each with their current address. */
  listMembers(teamId: string): Promise<TeamMember[]>;
  /** The user's teams and their role in each, by name. */
  listForUser(userId: string): Promise<Array<{ team: Team; role: TeamRole }>>;
  countOwners(teamId: string): Promise<number>;
  changeRole(teamId: string, userId: string, role: TeamRole): Promise<void>;
  removeMember(teamId: string, userId: string): Promise<void>;
  /** The team's invitation events (sent, revoked, accepted, declined), newest first. */
  invitationActivity(teamId: string, limit: number): Promise<AuthEvent[]>;
}

export const INVITATION_EVENTS = ["team.invited", "team.invitation-revoked", "team.invitation-accepted", "team.invitation-declined"] as const;

export interface InvitationRepository {
  /** The token hash is unique (the store's unique index). */
  insert(invitation: Invitation): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<Invitation | null>;
  findById(teamId: string, invitationId: string): Promise<Invitation | null>;
  /** Still open (not accepted, declined, revoked or voided) and unexpired at `now`, newest first. */
  listPending(teamId: string, now: Date): Promise<Invitation[]>;
  /** Voids every open invitation of the team to this address: the newest link wins. */
  voidOpen(teamId: string, email: string, at: Date): Promise<void>;
  /**
   * Ends an open, unexpired invitation as accepted, declined or revoked. Compare-and-set: of any number
   * of concurrent callers exactly one gets true.
   */
  close(invitationId: string, outcome: "accepted" | "declined" | "revoked", at: Date): Promise<boolean>;
}
