import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { UseCasePorts } from "../shared/use-case-ports";
import type { InvitationRepository, TeamRepository } from "./team-repositories.port";

/** What the team use cases store: the shared stores, teams with their members, and invitations. */
export interface TeamStores extends SharedStores {
  readonly teams: TeamRepository;
  readonly invitations: InvitationRepository;
}

export type TeamPorts = UseCasePorts<TeamStores>;
