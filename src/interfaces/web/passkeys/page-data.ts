import { PASSKEY_NAME_MAX } from "../../../domain/passkey/passkey";
import type { Viewer } from "../shared/session";
import { useCase } from "../shared/use-cases";

export interface PasskeyView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/** The viewer's passkeys, oldest first. */
export async function passkeysOf(viewer: Viewer): Promise<PasskeyView[]> {
  const list = await useCase("listPasskeys");
  const passkeys = await list.execute({ userId: viewer.user.id });
  return passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt }));
}

export const passkeyNameMaxLength = PASSKEY_NAME_MAX;
