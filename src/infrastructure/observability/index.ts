export { appLog, createPinoLogger, describeError, LOG_LEVELS, parseLogLevel, type AppLog, type LogFields, type LogLevel } from "./logger";
export { PrometheusTelemetry, type MailMetrics, type OutboxStats, type Telemetry, type TelemetrySources } from "./prometheus-metrics";
