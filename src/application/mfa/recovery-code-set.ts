import { Password } from "../../domain/identity/password";
import { formatRecoveryCode, RecoveryCode, RECOVERY_CODES_PER_SET } from "../../domain/mfa/recovery-code";
import type { PasswordHasher } from "../shared/ports/password-hasher.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { SecondFactorCodes } from "../shared/ports/second-factor.port";

/** A fresh set of recovery codes: as shown once to the user, and as stored (password hashes only). */
export interface RecoveryCodeSet {
  readonly shown: string[];
  readonly stored: RecoveryCode[];
}

const ANY: { contains: () => boolean } = { contains: () => false };

/** Hashed before any transaction opens: ten argon2 hashes take a while, and no row waits on them. */
export async function newRecoveryCodeSet(
  userId: string,
  ports: { codes: SecondFactorCodes; hasher: PasswordHasher; randomTokens: RandomTokens },
  now: Date,
): Promise<RecoveryCodeSet> {
  const plain = new Set<string>();
  while (plain.size < RECOVERY_CODES_PER_SET) plain.add(ports.codes.newRecoveryCode());
  const shown: string[] = [];
  const stored: RecoveryCode[] = [];
  for (const code of plain) {
    const password = Password.create(code, { minLength: 0, maxLength: 128 }, ANY);
    if (!password.ok) throw new Error("a generated recovery code is always a valid hash input");
    const codeHash = await ports.hasher.hash(password.value);
    stored.push(RecoveryCode.create({ id: ports.randomTokens.newId(), userId, code, codeHash }, now));
    shown.push(formatRecoveryCode(code));
  }
  return { shown, stored };
}
