import { SecondFactorAlreadyEnabled } from "../../domain/mfa/mfa-errors";
import { TotpFactor } from "../../domain/mfa/totp-factor";
import { Unauthenticated, type ReauthenticationRequired } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { SecondFactorCodes } from "../shared/ports/second-factor.port";
import { FreshAuthentication } from "../shared/services/fresh-authentication";
import type { MfaStores } from "./mfa-stores";

export interface SetUpTotpInput {
  readonly userId: string;
  /** The session asking: setting up a factor needs fresh authentication. */
  readonly sessionId: string;
}

export interface SetUpTotpOutput {
  /** Base32, for typing into the app by hand. */
  readonly secret: string;
  readonly otpauthUrl: string;
  /** The QR code of `otpauthUrl`, an SVG document. */
  readonly qrSvg: string;
}

export type SetUpTotpError = Unauthenticated | ReauthenticationRequired | SecondFactorAlreadyEnabled;

/**
 * Starts enrolling an authenticator app: a new seed from the CSPRNG, kept pending (encrypted by the
 * store) until a code from the app proves it was scanned. Starting again replaces a pending seed.
 */
export class SetUpTotp {
  private readonly fresh: FreshAuthentication;

  constructor(
    private readonly stores: MfaStores,
    private readonly codes: SecondFactorCodes,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
  ) {
    this.fresh = new FreshAuthentication(settings.freshAuthMaxAgeSeconds);
  }

  async execute(input: SetUpTotpInput): Promise<Result<SetUpTotpOutput, SetUpTotpError>> {
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    const now = this.clock.now();
    const fresh = await this.fresh.require(this.stores.sessions, input.sessionId, now);
    if (!fresh.ok) return fresh;
    const secret = this.codes.newTotpSecret();
    if (!(await this.stores.secondFactors.savePending(TotpFactor.pending({ userId: user.id, secret }, now)))) {
      return fail(new SecondFactorAlreadyEnabled());
    }
    const otpauthUrl = this.codes.totpUri(secret, user.email, this.settings.mfa.issuer);
    return ok({ secret, otpauthUrl, qrSvg: await this.codes.qrSvg(otpauthUrl) });
  }
}
