/**
 * A configuration value that stops the process at start. The message is one line naming the
 * variable and the fix, fit to be the only thing an operator reads.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message.replace(/\s*[\r\n]+\s*/g, " "));
  }
}
