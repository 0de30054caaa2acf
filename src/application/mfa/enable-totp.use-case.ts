import { InvalidSecondFactorCode, SecondFactorAlreadyEnabled, SecondFactorSetupRequired } from "../../domain/mfa/mfa-errors";
import { totpCode } from "../../domain/mfa/totp-factor";
import { Unauthenticated } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { Clock } from "../shared/ports/clock.port";
import type { PasswordHasher } from "../shared/ports/password-hasher.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { SecondFactorCodes } from "../shared/ports/second-factor.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import type { MfaStores } from "./mfa-stores";
import { newRecoveryCodeSet } from "./recovery-code-set";

export interface EnableTotpInput {
  readonly userId: string;
  readonly code: string;
  readonly context?: RequestContext;
}

export interface EnableTotpOutput {
  /** Shown once; only their hashes are kept. */
  readonly recoveryCodes: string[];
}

export type EnableTotpError = Unauthenticated | InvalidSecondFactorCode | SecondFactorSetupRequired | SecondFactorAlreadyEnabled;

/**
 * Turns the pending authenticator on once a code from it proves it was scanned. The code's time step
 * is recorded as used, so the enrolment code cannot open a sign-in afterwards. The first set of
 * recovery codes is made here, and the owner is told by e-mail.
 */
export class EnableTotp {
  private readonly events: AuthEvents;

  constructor(
    private readonly stores: MfaStores,
    private readonly uow: UnitOfWork<MfaStores>,
    private readonly hasher: PasswordHasher,
    private readonly randomTokens: RandomTokens,
    private readonly codes: SecondFactorCodes,
    private readonly clock: Clock,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
  }

  async execute(input: EnableTotpInput): Promise<Result<EnableTotpOutput, EnableTotpError>> {
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    const factor = await this.stores.secondFactors.findTotp(user.id);
    if (!factor) return fail(new SecondFactorSetupRequired());
    if (factor.isEnabled) return fail(new SecondFactorAlreadyEnabled());
    const now = this.clock.now();
    const code = totpCode(input.code);
    const step = code ? await this.codes.totpStepOf(factor.secret, code, now) : null;
    if (step === null) return fail(new InvalidSecondFactorCode("code"));

    const set = await newRecoveryCodeSet(user.id, { codes: this.codes, hasher: this.hasher, randomTokens: this.randomTokens }, now);
    return this.uow.run(async (stores) => {
      // Compare-and-set on the pending row: a second tab enabling with the same code gets nothing.
      if (!(await stores.secondFactors.enable(user.id, step, now))) return fail(new SecondFactorSetupRequired());
      await stores.secondFactors.replaceRecoveryCodes(user.id, set.stored);
      await stores.outbox.enqueue({ to: user.email, template: "mfa-enabled", params: {} });
      await this.events.record(stores.events, "mfa.enabled", user.id, input.context);
      return ok({ recoveryCodes: set.shown });
    });
  }
}
