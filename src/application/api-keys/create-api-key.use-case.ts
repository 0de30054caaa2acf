import { API_KEY_NAME_MAX_LENGTH, API_KEY_PREFIX_LENGTH, ApiKey } from "../../domain/api-key/api-key";
import { EmailNotVerified, InvalidInput, Unauthenticated, type ReauthenticationRequired } from "../../domain/shared/domain-error";
import { fail, ok, type Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { UnitOfWork } from "../shared/ports/unit-of-work.port";
import type { ApiKeyStores } from "./api-key-stores";
import type { RequestContext } from "../shared/request-context";
import { AuthEvents } from "../shared/services/auth-events";
import { FreshAuthentication } from "../shared/services/fresh-authentication";

export interface CreateApiKeyInput {
  readonly userId: string;
  /** The session asking: its last authentication must be inside the step-up window. */
  readonly sessionId: string;
  readonly name: string;
  readonly context?: RequestContext;
}

export interface CreateApiKeyOutput {
  readonly apiKey: ApiKey;
  /** `ak_<prefix>_<secret>`: shown to the user once; only its SHA-256 is kept. */
  readonly secret: string;
}

/**
 * Control characters, or an unpaired surrogate that UTF-8 cannot carry: a NUL byte made PostgreSQL fail
 * the insert (a 500), and a lone surrogate would be stored as another name than the one shown back.
 */
const NOT_PLAIN_TEXT = /[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Issues an API key. A sensitive action: the owner's address must be verified, as stored now (not
 * as some cookie claimed earlier), and the session freshly authenticated (a key outlives the session).
 */
export class CreateApiKey {
  private readonly events: AuthEvents;
  private readonly fresh: FreshAuthentication;

  constructor(
    private readonly stores: ApiKeyStores,
    private readonly uow: UnitOfWork<ApiKeyStores>,
    private readonly randomTokens: RandomTokens,
    private readonly clock: Clock,
    settings: AuthSettings,
  ) {
    this.events = new AuthEvents(randomTokens, clock);
    this.fresh = new FreshAuthentication(settings.freshAuthMaxAgeSeconds);
  }

  async execute(
    input: CreateApiKeyInput,
  ): Promise<Result<CreateApiKeyOutput, Unauthenticated | EmailNotVerified | ReauthenticationRequired | InvalidInput>> {
    const user = await this.stores.users.findById(input.userId);
    if (!user) return fail(new Unauthenticated());
    if (!user.emailVerified) return fail(new EmailNotVerified());
    const fresh = await this.fresh.require(this.stores.sessions, input.sessionId, this.clock.now());
    if (!fresh.ok) return fresh;
    const name = typeof input.name === "string" ? input.name.trim() : "";
    if (name.length === 0 || name.length > API_KEY_NAME_MAX_LENGTH || NOT_PLAIN_TEXT.test(name)) {
      const message = `Name the key in 1 to ${API_KEY_NAME_MAX_LENGTH} characters, without control characters.`;
      return fail(new InvalidInput(message, { name: message }));
    }

    const now = this.clock.now();
    const prefix = this.randomTokens.hash(this.randomTokens.newId()).slice(0, API_KEY_PREFIX_LENGTH);
    const secret = `ak_${prefix}_${this.randomTokens.newSecret()}`;
    const apiKey = ApiKey.create(
      { id: this.randomTokens.newId(), userId: user.id, name, prefix, secretHash: this.randomTokens.hash(secret) },
      now,
    );
    await this.uow.run(async (stores) => {
      await stores.apiKeys.insert(apiKey);
      await this.events.record(stores.events, "api-key.created", user.id, input.context, { apiKeyId: apiKey.id, prefix });
    });
    return ok({ apiKey, secret });
  }
}
