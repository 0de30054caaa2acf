import { randomInt, randomBytes } from "node:crypto";
import { generateURI, ScureBase32Plugin, verify } from "otplib";
import QRCode from "qrcode";
import type { SecondFactorCodes } from "../../application/shared/ports/second-factor.port";
import { RECOVERY_CODE_ALPHABET, RECOVERY_CODE_LENGTH } from "../../domain/mfa/recovery-code";
import { TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_WINDOW_STEPS } from "../../domain/mfa/totp-factor";

const base32 = new ScureBase32Plugin();
/** 160 bits, the length RFC 4226 recommends for an HMAC-SHA-1 key. */
const SECRET_BYTES = 20;

/**
 * TOTP with otplib (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, one step of drift either way),
 * seeds and recovery codes from node's CSPRNG, QR codes as SVG with `qrcode`.
 */
export class OtplibSecondFactorCodes implements SecondFactorCodes {
  newTotpSecret(): string {
    return base32.encode(randomBytes(SECRET_BYTES)).replace(/=+$/, "");
  }

  totpUri(secret: string, account: string, issuer: string): string {
    return generateURI({ strategy: "totp", issuer, label: account, secret, algorithm: "sha1", digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS });
  }

  async totpStepOf(secret: string, code: string, now: Date): Promise<number | null> {
    if (!/^[0-9]{6}$/.test(code)) return null;
    const result = await verify({
      strategy: "totp",
      secret,
      token: code,
      algorithm: "sha1",
      digits: TOTP_DIGITS,
      period: TOTP_PERIOD_SECONDS,
      epoch: Math.floor(now.getTime() / 1000),
      // A window of this many seconds either side overlaps exactly the neighbouring steps.
      epochTolerance: TOTP_WINDOW_STEPS * TOTP_PERIOD_SECONDS,
    });
    return result.valid && "timeStep" in result ? result.timeStep : null;
  }

  newRecoveryCode(): string {
    let code = "";
    for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) code += RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)];
    return code;
  }

  qrSvg(text: string): Promise<string> {
    return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  }
}
