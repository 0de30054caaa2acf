import type { ApiKeyStores } from "../../application/api-keys";
import type { IdentityStores } from "../../application/identity";
import type { TeamStores } from "../../application/teams";
import type { UnitOfWork as UnitOfWorkOf } from "../../application/shared/ports/unit-of-work.port";

/**
 * Every store of every capability, composed here where the capabilities meet: the adapters implement
 * this whole set, and each capability's use cases see only the part they declare.
 */
export interface Stores extends IdentityStores, ApiKeyStores, TeamStores {}

export type UnitOfWork = UnitOfWorkOf<Stores>;
