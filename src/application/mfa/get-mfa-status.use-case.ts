import type { AuthSettings } from "../shared/auth-settings";
import type { SecondFactorCodes } from "../shared/ports/second-factor.port";
import type { MfaStores } from "./mfa-stores";

export interface GetMfaStatusInput {
  readonly userId: string;
  /** For the owner's own security page: a pending set-up's secret and QR code, to finish it. */
  readonly withPendingSetup?: boolean;
}

export interface MfaStatus {
  /** `pending`: set up, not yet proved with a code. */
  readonly totp: "off" | "pending" | "on";
  readonly enabledAt: Date | null;
  readonly recoveryCodesLeft: number;
  readonly pendingSetup?: { readonly secret: string; readonly otpauthUrl: string; readonly qrSvg: string };
}

/** What the security page shows of the second factor. */
export class GetMfaStatus {
  constructor(
    private readonly stores: MfaStores,
    private readonly codes: SecondFactorCodes,
    private readonly settings: AuthSettings,
  ) {}

  async execute(input: GetMfaStatusInput): Promise<MfaStatus> {
    const totp = await this.stores.secondFactors.findTotp(input.userId);
    if (!totp) return { totp: "off", enabledAt: null, recoveryCodesLeft: 0 };
    if (totp.isEnabled) {
      return { totp: "on", enabledAt: totp.enabledAt, recoveryCodesLeft: await this.stores.secondFactors.countUnusedRecoveryCodes(input.userId) };
    }
    const status = { totp: "pending" as const, enabledAt: null, recoveryCodesLeft: 0 };
    const user = input.withPendingSetup ? await this.stores.users.findById(input.userId) : null;
    if (!user) return status;
    const otpauthUrl = this.codes.totpUri(totp.secret, user.email, this.settings.mfa.issuer);
    return { ...status, pendingSetup: { secret: totp.secret, otpauthUrl, qrSvg: await this.codes.qrSvg(otpauthUrl) } };
  }
}
