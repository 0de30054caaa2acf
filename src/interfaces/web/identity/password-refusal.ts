import type { WeakPassword } from "../../../domain/shared/domain-error";
import { Password } from "../../../domain/identity/password";
import { authSettings, commonPasswords } from "../shared/use-cases";

/**
 * The password policy's verdict on a password alone (no address to compare it with), or null when
 * it passes. Only for saying more at once on a refused form: the use case still decides.
 */
export async function passwordRefusal(password: string): Promise<WeakPassword | null> {
  const [settings, common] = await Promise.all([authSettings(), commonPasswords()]);
  const checked = Password.create(password, settings.password, common);
  return checked.ok ? null : checked.error;
}
