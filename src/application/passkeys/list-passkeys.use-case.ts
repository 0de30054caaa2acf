import type { Passkey } from "../../domain/passkey/passkey";
import type { PasskeyStores } from "./passkey-stores";

export interface ListPasskeysInput {
  readonly userId: string;
}

/** The user's own passkeys, oldest first. */
export class ListPasskeys {
  constructor(private readonly stores: PasskeyStores) {}

  execute(input: ListPasskeysInput): Promise<Passkey[]> {
    return this.stores.passkeys.listForUser(input.userId);
  }
}
