// Sessions: checking the session a request presents, listing a user's sessions, ending one or all.
import type { UseCasePorts, UseCaseRegistry } from "../shared/use-case-ports";
import { AuthenticateSession } from "./authenticate-session.use-case";
import { ListSessions } from "./list-sessions.use-case";
import { Reauthenticate } from "./reauthenticate.use-case";
import { RevokeAllSessions } from "./revoke-all-sessions.use-case";
import { RevokeSession } from "./revoke-session.use-case";

/** The sessions use cases need the shared stores only. */
export type SessionPorts = UseCasePorts;

/** The sessions use cases, each built from its ports: the one place they are registered. */
export const sessionUseCases = {
  authenticateSession: (p: SessionPorts) => new AuthenticateSession(p.stores, p.sessionTokens, p.randomTokens, p.clock, p.settings),
  listSessions: (p: SessionPorts) => new ListSessions(p.stores, p.clock, p.settings),
  revokeSession: (p: SessionPorts) => new RevokeSession(p.stores, p.randomTokens, p.clock),
  revokeAllSessions: (p: SessionPorts) => new RevokeAllSessions(p.stores, p.randomTokens, p.clock),
  reauthenticate: (p: SessionPorts) =>
    new Reauthenticate(p.stores, p.uow, p.hasher, p.sessionTokens, p.randomTokens, p.secondFactorCodes, p.rateLimits, p.clock, p.settings, p.metrics),
} satisfies UseCaseRegistry<SessionPorts>;

export { AuthenticateSession, ListSessions, Reauthenticate, RevokeAllSessions, RevokeSession };
export type { ReauthenticateInput, ReauthenticateOutput } from "./reauthenticate.use-case";
export type { AuthenticateSessionInput, AuthenticateSessionOutput } from "./authenticate-session.use-case";
export type { ListedSession, ListSessionsInput } from "./list-sessions.use-case";
export type { RevokeAllSessionsInput, RevokeAllSessionsOutput } from "./revoke-all-sessions.use-case";
export type { RevokeSessionInput } from "./revoke-session.use-case";
