import type { InvitationRepository } from "../../../application/teams/team-repositories.port";
import { Invitation, type InvitationSnapshot } from "../../../domain/team/invitation";
import type { TableAccess } from "./in-memory-database";

function isOpen(row: InvitationSnapshot): boolean {
  return row.acceptedAt === null && row.declinedAt === null && row.invalidatedAt === null;
}

export class InMemoryInvitationRepository implements InvitationRepository {
  constructor(private readonly access: TableAccess) {}

  async insert(invitation: Invitation): Promise<void> {
    const snapshot = invitation.toSnapshot();
    if (this.access.has("invitations", snapshot.id)) throw new Error(`duplicate invitation id ${snapshot.id}`);
    if (this.access.rows("invitations").some((row) => row.tokenHash === snapshot.tokenHash)) {
      throw new Error("unique violation: team_invitations.token_hash");
    }
    if (!this.access.has("teams", snapshot.teamId)) throw new Error(`foreign key violation: no team ${snapshot.teamId}`);
    this.access.set("invitations", snapshot.id, snapshot);
  }

  async findByTokenHash(tokenHash: string): Promise<Invitation | null> {
    const row = this.access.rows("invitations").find((inv) => inv.tokenHash === tokenHash);
    return row ? Invitation.restore(row) : null;
  }

  async findById(teamId: string, invitationId: string): Promise<Invitation | null> {
    const row = this.access.get("invitations", invitationId);
    return row && row.teamId === teamId ? Invitation.restore(row) : null;
  }

  async listPending(teamId: string, now: Date): Promise<Invitation[]> {
    return this.access
      .rows("invitations")
      .filter((row) => row.teamId === teamId && isOpen(row) && now < row.expiresAt)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .map((row) => Invitation.restore(row));
  }

  async voidOpen(teamId: string, email: string, at: Date): Promise<void> {
    for (const row of this.access.rows("invitations")) {
      if (row.teamId === teamId && row.email === email && isOpen(row)) this.access.set("invitations", row.id, { ...row, invalidatedAt: at });
    }
  }

  async close(invitationId: string, outcome: "accepted" | "declined" | "revoked", at: Date): Promise<boolean> {
    const row = this.access.get("invitations", invitationId);
    if (!row || !isOpen(row) || !(at < row.expiresAt)) return false;
    const field = outcome === "accepted" ? "acceptedAt" : outcome === "declined" ? "declinedAt" : "invalidatedAt";
    this.access.set("invitations", invitationId, { ...row, [field]: at });
    return true;
  }
}
