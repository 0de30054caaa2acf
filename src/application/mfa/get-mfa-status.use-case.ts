import type { MfaStores } from "./mfa-stores";

export interface GetMfaStatusInput {
  readonly userId: string;
}

export interface MfaStatus {
  /** `pending`: set up, not yet proved with a code. */
  readonly totp: "off" | "pending" | "on";
  readonly enabledAt: Date | null;
  readonly recoveryCodesLeft: number;
}

/** What the security page shows of the second factor. */
export class GetMfaStatus {
  constructor(private readonly stores: MfaStores) {}

  async execute(input: GetMfaStatusInput): Promise<MfaStatus> {
    const totp = await this.stores.secondFactors.findTotp(input.userId);
    if (!totp) return { totp: "off", enabledAt: null, recoveryCodesLeft: 0 };
    if (!totp.isEnabled) return { totp: "pending", enabledAt: null, recoveryCodesLeft: 0 };
    return { totp: "on", enabledAt: totp.enabledAt, recoveryCodesLeft: await this.stores.secondFactors.countUnusedRecoveryCodes(input.userId) };
  }
}
