import { VerificationToken, type TokenPurpose } from "../../domain/identity/verification-token";
import type { MailTemplate } from "../shared/ports/outbox.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { IdentityStores } from "./identity-stores";

type MailedPurpose = Exclude<TokenPurpose, "sign-in-challenge">;

const TEMPLATE: Record<MailedPurpose, MailTemplate> = {
  "verify-email": "verify-email",
  "reset-password": "password-reset",
  "change-email": "confirm-email-change",
};

/**
 * Issues a one-time link token: 256 random bits, only their SHA-256 stored, bound to the user, the
 * purpose and the address it is mailed to. Older tokens of the same purpose are voided, so only the
 * newest link works. Call inside a unit of work: token and mail commit together or not at all.
 */
export class EmailTokens {
  constructor(private readonly randomTokens: RandomTokens) {}

  async issue(
    stores: Pick<IdentityStores, "tokens" | "outbox">,
    props: { userId: string; email: string; purpose: MailedPurpose; ttlSeconds: number },
    now: Date,
  ): Promise<void> {
    const secret = this.randomTokens.newSecret();
    await stores.tokens.invalidateAllForUser(props.userId, props.purpose, now);
    await stores.tokens.insert(
      VerificationToken.create(
        {
          id: this.randomTokens.newId(),
          userId: props.userId,
          purpose: props.purpose,
          tokenHash: this.randomTokens.hash(secret),
          email: props.email,
          ttlSeconds: props.ttlSeconds,
        },
        now,
      ),
    );
    await stores.outbox.enqueue({ to: props.email, template: TEMPLATE[props.purpose], params: { token: secret } });
  }
}
