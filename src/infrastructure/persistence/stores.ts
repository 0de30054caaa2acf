import type { ApiKeyRepository, ApiKeyStores } from "../../application/api-keys";
import type { BillingStores } from "../../application/billing";
import type { CredentialStores } from "../../application/credentials";
import type { DeviceAuthorizationRepository, DeviceStores, DeviceTokenRepository } from "../../application/devices";
import type { IdentityStores } from "../../application/identity";
import type { MfaRepository, MfaStores } from "../../application/mfa";
import type { PasskeyStores } from "../../application/passkeys";
import type { RetentionStores } from "../../application/retention";
import type { TeamRepository, TeamStores } from "../../application/teams";
import type { UnitOfWork as UnitOfWorkOf } from "../../application/shared/ports/unit-of-work.port";

/**
 * Every store of every capability, composed here where the capabilities meet: the adapters implement
 * this whole set, and each capability's use cases see only the part they declare.
 */
export interface Stores extends IdentityStores, ApiKeyStores, DeviceStores, CredentialStores, TeamStores, BillingStores, RetentionStores, PasskeyStores, MfaStores {
  // Named by more than one capability, each through the view it needs: the full store serves them all.
  readonly apiKeys: ApiKeyRepository;
  readonly deviceAuthorizations: DeviceAuthorizationRepository;
  readonly deviceTokens: DeviceTokenRepository;
  readonly teams: TeamRepository;
  readonly secondFactors: MfaRepository;
}

export type UnitOfWork = UnitOfWorkOf<Stores>;
