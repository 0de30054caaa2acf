import type { Unauthenticated } from "../../domain/shared/domain-error";
import type { Result } from "../../domain/shared/result";
import type { AuthSettings } from "../shared/auth-settings";
import type { Clock } from "../shared/ports/clock.port";
import type { RandomTokens } from "../shared/ports/random-tokens.port";
import type { SessionTokens } from "../shared/ports/session-tokens.port";
import type { SharedStores } from "../shared/ports/unit-of-work.port";
import type { RequestContext } from "../shared/request-context";
import { SessionAuthenticator, type AuthenticatedSession } from "../shared/services/session-authenticator";

export interface AuthenticateSessionInput {
  /** The session cookie value, exactly as received. */
  readonly token: string | null | undefined;
  readonly context?: RequestContext;
}

export type AuthenticateSessionOutput = AuthenticatedSession;

/**
 * Who is this request, by its session cookie (pages, server actions, the proxy and every route that
 * needs a browser session)? The check itself is shared with the credentials capability.
 */
export class AuthenticateSession {
  private readonly authenticator: SessionAuthenticator;

  constructor(stores: SharedStores, sessionTokens: SessionTokens, randomTokens: RandomTokens, clock: Clock, settings: AuthSettings) {
    this.authenticator = new SessionAuthenticator(stores, sessionTokens, randomTokens, clock, settings);
  }

  execute(input: AuthenticateSessionInput): Promise<Result<AuthenticateSessionOutput, Unauthenticated>> {
    return this.authenticator.authenticate(input.token, input.context);
  }
}
