import { SecondFactorNotEnabled } from "../../domain/mfa/mfa-errors";
import { Unauthenticated, type ReauthenticationRequired } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { Clock } from "../shared/ports/clock.port";
import type { PasswordHasher } from "../shared/ports/password-hasher.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { SecondFactorCodes } from "../shared/ports/second-factor.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { FreshAuthentication } from "../shared/services/fresh-authentication";
import type { AuthSettings } from "../shared/auth-settings";
import type { MfaStores } from "./mfa-stores";
import { newRecoveryCodeSet } from "./recovery-code-set";

export interface RegenerateRecoveryCodesInput {
  readonly userId: string;
  /** The session asking: new codes need fresh authentication. */
  readonly sessionId: string;
  readonly context?: RequestContext;
}

/** A new set of ten recovery codes, shown once; every code of the old set stops working. The owner is told. */
export class RegenerateRecoveryCodes {
  private readonly events: AuthEvents;
  private readonly fresh: FreshAuthentication;

  constructor(
    private readonly stores: MfaStores,
    private readonly uow: UnitOfWork<MfaStores>,
    private readonly hasher: PasswordHasher,
    private readonly randomTokens: RandomTokens,
    private readonly codes: SecondFactorCodes,
    private readonly clock: Clock,
    settings: AuthSettings,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
    this.fresh = new FreshAuthentication(settings.freshAuthMaxAgeSeconds);
  }

  async execute(input: RegenerateRecoveryCodesInput): Promise<Result<{ recoveryCodes: string[] }, Unauthenticated | ReauthenticationRequired | SecondFactorNotEnabled>> {
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    const now = this.clock.now();
    const fresh = await this.fresh.require(this.stores.sessions, input.sessionId, now);
    if (!fresh.ok) return fresh;
    if (!(await this.stores.secondFactors.findTotp(user.id))?.isEnabled) return fail(new SecondFactorNotEnabled());
    const set = await newRecoveryCodeSet(user.id, { codes: this.codes, hasher: this.hasher, randomTokens: this.randomTokens }, now);
    return this.uow.run(async (stores) => {
      // Checked again inside: the factor may have been turned off while the codes were hashed.
      if (!(await stores.secondFactors.findTotp(user.id))?.isEnabled) return fail(new SecondFactorNotEnabled());
      await stores.secondFactors.replaceRecoveryCodes(user.id, set.stored);
      await stores.outbox.enqueue({ to: user.email, template: "recovery-codes-regenerated", params: {} });
      await this.events.record(stores.events, "mfa.recovery-codes-regenerated", user.id, input.context);
      return ok({ recoveryCodes: set.shown });
    });
  }
}
