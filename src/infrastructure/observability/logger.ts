import pino, { type DestinationStream, type Logger } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Extra fields of a log line. Never a password, token, cookie, secret or mail body. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The product's log, as the rest of the infrastructure sees it; `console` fits where no fields are
 * given. One JSON line per call (pino), so an operator's collector reads app events and request lines alike.
 */
export interface AppLog {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * Field names whose value is never written, wherever they sit in a line's fields: a last line of
 * defence, since no caller is meant to pass them at all.
 */
const NEVER_LOGGED = ["password", "newPassword", "currentPassword", "token", "secret", "cookie", "authorization", "text", "html", "body", "params"];

export function createPinoLogger(level: LogLevel = "info", destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"info" rather than 30: readable without pino's table.
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...NEVER_LOGGED, ...NEVER_LOGGED.map((name) => `*.${name}`)], censor: "[redacted]" },
    },
    destination,
  );
}

/** The `AppLog` view of a pino logger. */
export function appLog(logger: Logger): AppLog {
  const at =
    (level: "debug" | "info" | "warn" | "error") =>
    (message: string, fields?: LogFields): void => {
      if (fields) logger[level](fields as object, message);
      else logger[level](message);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export function parseLogLevel(value: string | undefined): LogLevel | null {
  if (value === undefined || value === "") return "info";
  const level = value.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : null;
}

/** One short line from anything thrown: its code and first line, never a stack or a query's parameters. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const first = error.message.split("\n")[0] ?? "";
    return (typeof code === "string" && !first.includes(code) ? `${code}: ${first}` : first).slice(0, 200);
  }
  return String(error).slice(0, 200);
}
