// The composition root: the only place that knows which adapter serves which port.
export { TOKENS, useCaseToken, type Token, type TokenName, type Resolved } from "./tokens";
export type { UseCaseName, UseCaseOf, UseCases } from "./use-case-registry";
export { boot, SchemaOutOfDate, type Auth, type BootOptions } from "./boot";
export { getAuth, getConfig, getContainer, getEdgeConfig, getLogger, getTelemetry, hashingRefusal, shutdownAuth, type EdgeConfig } from "./runtime";
export { describeError, type AppLog, type LogFields } from "../observability";
export { ConfigError } from "../config";
export { checkConfigurationAtStart } from "./startup";
export { surviveClosedLogPipes } from "../process/log-pipes";
