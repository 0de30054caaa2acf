import { ContainerModule } from "inversify";
import type { PasswordHasher } from "../../../application/shared/ports/password-hasher.port";
import type { AppConfig } from "../../config";
import { SystemClock } from "../../clock/system-clock";
import { Argon2PasswordHasher } from "../../crypto/argon2-password-hasher";
import { JoseSessionTokens } from "../../crypto/jose-session-tokens";
import { NodeRandomTokens } from "../../crypto/node-random-tokens";
import { OtplibSecondFactorCodes } from "../../crypto/otplib-second-factor-codes";
import { ConcurrencyLimitedPasswordHasher } from "../../hashing-limit";
import { FileCommonPasswords } from "../../security/file-common-passwords";
import { relyingPartyOf, SimpleWebAuthnCeremonies } from "../../webauthn/simple-webauthn-ceremonies";
import { TOKENS } from "../tokens";
import { bindFactory, typedBind } from "./bind";

/** Time, randomness, password hashing (bounded, so a sign-in flood cannot starve the server), session tokens and WebAuthn. */
export function cryptoModule(): ContainerModule {
  return new ContainerModule((options) => {
    const bind = typedBind(options);
    bind(TOKENS.Clock).toConstantValue(new SystemClock());
    bind(TOKENS.RandomTokens).toConstantValue(new NodeRandomTokens());
    bind(TOKENS.SecondFactorCodes).toConstantValue(new OtplibSecondFactorCodes());
    bind(TOKENS.CommonPasswords).toConstantValue(new FileCommonPasswords());
    bindFactory(
      options,
      TOKENS.BoundedPasswordHasher,
      (config: AppConfig) =>
        new ConcurrencyLimitedPasswordHasher(new Argon2PasswordHasher({ ...config.argon2, maxLength: config.auth.password.maxLength })),
      [TOKENS.Config],
    );
    // One limit: the hasher the use cases get is the one whose load the edge reads.
    bindFactory(options, TOKENS.PasswordHasher, (bounded: PasswordHasher) => bounded, [TOKENS.BoundedPasswordHasher]);
    bindFactory(
      options,
      TOKENS.SessionTokens,
      (config: AppConfig) => new JoseSessionTokens({ secret: config.sessionSecret.current, previousSecrets: config.sessionSecret.previous }),
      [TOKENS.Config],
    );
    bindFactory(options, TOKENS.WebAuthn, (config: AppConfig) => new SimpleWebAuthnCeremonies(relyingPartyOf(config.appUrl)), [TOKENS.Config]);
  });
}
